package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Files that keep changing while they are hashed (a log being written, a large download by
 * another program): each time a scan finds one still changing, the next look at it waits twice
 * as long as the last, from one quiet window up to a cap (the full-scan interval), instead of
 * hashing the whole file again after every quiet window while the watcher keeps reporting it.
 * A scan that finds the file still (or gone) ends its back-off.
 *
 * <p>Control thread. Holds only files found changing and not yet found still.
 */
final class GrowingFiles {

  private record Backoff(int times, long notBeforeNanos) {}

  private final Map<RelativePath, Backoff> backoffs = new HashMap<>();
  private final long quietNanos;
  private final long capNanos;

  GrowingFiles(long quietNanos, long capNanos) {
    this.quietNanos = quietNanos;
    this.capNanos = Math.max(quietNanos, capNanos);
  }

  /**
   * A scan found {@code path} changing while it hashed it.
   *
   * @return how long to wait before looking at it again
   */
  long stillChanging(RelativePath path, long nowNanos) {
    Backoff b = backoffs.get(path);
    int times = b == null ? 1 : b.times() + 1;
    long delay = Math.min(capNanos, quietNanos << Math.min(times - 1, 20));
    backoffs.put(path, new Backoff(times, nowNanos + delay));
    return delay;
  }

  /** Whether a look at {@code path} now would come before its back-off ends. */
  boolean deferred(RelativePath path, long nowNanos) {
    Backoff b = backoffs.get(path);
    return b != null && b.notBeforeNanos() > nowNanos;
  }

  /** When {@code path}'s back-off ends (clock nanos), or 0 if it has none. */
  long notBefore(RelativePath path) {
    Backoff b = backoffs.get(path);
    return b == null ? 0 : b.notBeforeNanos();
  }

  /** A scan looked at these paths and found them still (or gone). */
  void settled(Collection<RelativePath> paths) {
    if (!backoffs.isEmpty()) {
      paths.forEach(backoffs::remove);
    }
  }

  /** A full scan found only {@code stillChanging} changing: every other back-off ends. */
  void retainOnly(Collection<RelativePath> stillChanging) {
    backoffs.keySet().retainAll(new java.util.HashSet<>(stillChanging));
  }

  int size() {
    return backoffs.size();
  }
}
