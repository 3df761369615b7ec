package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * A total order on file records over every field, used as the last tie-break where a rule must
 * return the same answer whichever way round its arguments come. Stateless and thread-safe.
 */
public final class RecordOrder {

  /** The order: content first, then metadata, then history (what a merge merged last), then the sequence number. */
  public static final Comparator<FileRecord> TOTAL = Comparator
      .comparing(FileRecord::deleted)
      .thenComparing(FileRecord::kind)
      .thenComparing(FileRecord::contentHash)
      .thenComparing(FileRecord::symlinkTarget)
      .thenComparingLong(FileRecord::size)
      .thenComparingLong(FileRecord::modifiedNanos)
      .thenComparingLong(FileRecord::deletedAtNanos)
      .thenComparing(FileRecord::executable)
      .thenComparing(FileRecord::modifiedBy)
      .thenComparing((a, b) -> compareCounters(a.version().counters(), b.version().counters()))
      .thenComparing((a, b) -> compareCounters(a.mergedFrom().counters(), b.mergedFrom().counters()))
      .thenComparingLong(FileRecord::sequence);

  private RecordOrder() {}

  private static int compareCounters(Map<DeviceId, Long> a, Map<DeviceId, Long> b) {
    Iterator<Map.Entry<DeviceId, Long>> i = a.entrySet().iterator();
    Iterator<Map.Entry<DeviceId, Long>> j = b.entrySet().iterator();
    while (i.hasNext() && j.hasNext()) {
      Map.Entry<DeviceId, Long> x = i.next();
      Map.Entry<DeviceId, Long> y = j.next();
      int c = x.getKey().compareTo(y.getKey());
      if (c != 0) {
        return c;
      }
      c = Long.compare(x.getValue(), y.getValue());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(i.hasNext(), j.hasNext());
  }
}
