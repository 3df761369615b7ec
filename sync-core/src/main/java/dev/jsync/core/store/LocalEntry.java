package dev.jsync.core.store;

import dev.jsync.core.FileRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A path in the local index: the record this device announces, plus what the scanner last saw
 * on disk for it (absent for tombstones and for records not yet written to disk).
 */
public record LocalEntry(FileRecord record, Optional<DiskStat> stat) {

  public LocalEntry {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(stat, "stat");
  }

  public static LocalEntry of(FileRecord record, DiskStat stat) {
    return new LocalEntry(record, Optional.of(stat));
  }

  public static LocalEntry withoutStat(FileRecord record) {
    return new LocalEntry(record, Optional.empty());
  }
}
