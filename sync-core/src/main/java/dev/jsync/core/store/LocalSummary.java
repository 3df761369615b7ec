package dev.jsync.core.store;

import dev.jsync.core.FileKind;
import dev.jsync.core.RelativePath;
import java.util.Objects;
import java.util.Optional;

/**
 * What a full scan needs of a local entry to see that the disk still matches it: the kind,
 * whether it is a tombstone, the executable bit, a link's target and the disk stat last seen. A
 * few dozen bytes instead of a record with its version vector and block list
 * ({@link IndexStore#forEachLocalSummary}).
 */
public record LocalSummary(RelativePath path, FileKind kind, boolean deleted, boolean executable, String symlinkTarget,
    Optional<DiskStat> stat) {

  public LocalSummary {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(symlinkTarget, "symlinkTarget");
    Objects.requireNonNull(stat, "stat");
  }

  /** The summary of a full entry. */
  public static LocalSummary of(LocalEntry entry) {
    var r = entry.record();
    return new LocalSummary(r.path(), r.kind(), r.deleted(), r.executable(), r.symlinkTarget(), entry.stat());
  }
}
