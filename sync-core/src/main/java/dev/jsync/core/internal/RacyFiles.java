package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.store.DiskStat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files whose recorded stat cannot be trusted yet: their modification time was within the file
 * system's timestamp granularity of the moment the scanner looked. A rewrite of the same size
 * in that same tick leaves size, modification time and file key as they were (the time stamps
 * of ext4 come from a clock that ticks every few milliseconds, those of HFS+ every second, of
 * FAT every two), so a scan that trusted the stat would never read the file again and the
 * rewrite would never sync. Git calls such index entries "racily clean".
 *
 * <p>Such a file is treated as dirty: the scanner hashes it again at its next look (even though
 * the stat matches); once a scan finds its modification time older than the granularity, it is
 * trusted again. The final check before a peer's version replaces a file trusts the stat: a
 * same-size rewrite in the tick of the last scan that a peer's version replaces before any scan
 * looks again is the case left open (the version history, when on, keeps what it replaced).
 * The set lives in memory only: after a restart the first full scan trusts stats again, which
 * misses only a same-size rewrite made in the last tick before the node stopped.
 *
 * <p>Thread-safe: the scanner reads and writes it on I/O threads. Holds only files written
 * within {@link #GRANULARITY_NANOS} of some scan.
 */
final class RacyFiles {

  /**
   * The coarsest timestamp granularity among the file systems jSync runs on (FAT's two seconds);
   * finer ones (NTFS's 100 ns, ext4's clock tick, HFS+'s second) are covered by it.
   */
  static final long GRANULARITY_NANOS = 2_000_000_000L;

  private final Map<RelativePath, DiskStat> racy = new ConcurrentHashMap<>();

  /** The scanner recorded {@code stat} for {@code path}, having looked at {@code lookedNanos}. */
  void looked(RelativePath path, DiskStat stat, long lookedNanos) {
    if (Math.abs(lookedNanos - stat.modifiedNanos()) < GRANULARITY_NANOS) {
      racy.put(path, stat);
    } else {
      racy.remove(path);
    }
  }

  /** Whether the scanner recorded exactly {@code stat} for {@code path} within the granularity of its mtime. */
  boolean isRacy(RelativePath path, DiskStat stat) {
    if (racy.isEmpty()) {
      return false; // the common case, asked for every file of a full scan
    }
    DiskStat s = racy.get(path);
    return s != null && s.equals(stat);
  }

  /** {@code path} is gone or no longer a file. */
  void forget(RelativePath path) {
    racy.remove(path);
  }

  int size() {
    return racy.size();
  }
}
