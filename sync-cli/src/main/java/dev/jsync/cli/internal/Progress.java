package dev.jsync.cli.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a stream of status readings into a progress line for a long sync: files and bytes done
 * of the total, the rate and the time left. A round starts when something is to be fetched and
 * ends when nothing is; a round shorter than {@code showAfter} (a single saved note) shows
 * nothing. The total is what was done plus what is still needed, so it grows as peers announce
 * more. Bytes count when a file is complete. Pure computation; not thread-safe.
 */
final class Progress {

  /** What to show after a reading: the current line (empty when none), and a summary when a round ended. */
  record Reading(Optional<String> line, Optional<String> finished) {
  }

  private final Duration showAfter;
  private boolean active;
  private long startNanos;
  private long baseFiles;
  private long baseBytes;

  Progress(Duration showAfter) {
    this.showAfter = showAfter;
  }

  /**
   * @param filesNeeded paths still to sync
   * @param bytesNeeded bytes of those
   * @param filesDone paths synced since the node started
   * @param bytesDone bytes of those
   */
  Reading update(long nowNanos, long filesNeeded, long bytesNeeded, long filesDone, long bytesDone) {
    if (!active) {
      if (filesNeeded == 0) {
        return new Reading(Optional.empty(), Optional.empty());
      }
      active = true;
      startNanos = nowNanos;
      baseFiles = filesDone;
      baseBytes = bytesDone;
    }
    long files = filesDone - baseFiles;
    long bytes = bytesDone - baseBytes;
    Duration elapsed = Duration.ofNanos(nowNanos - startNanos);
    boolean worthShowing = elapsed.compareTo(showAfter) >= 0;
    if (filesNeeded == 0) {
      active = false;
      return new Reading(Optional.empty(), worthShowing
          ? Optional.of("sync done: " + Units.count(files, "file", "files") + ", " + Units.bytes(bytes) + " in "
              + Units.duration(elapsed))
          : Optional.empty());
    }
    if (!worthShowing) {
      return new Reading(Optional.empty(), Optional.empty());
    }
    double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
    double rate = bytes / seconds;
    String left = rate > 0 && bytesNeeded > 0
        ? "~" + Units.duration(Duration.ofSeconds((long) Math.ceil(bytesNeeded / rate))) + " left"
        : "time left unknown";
    String line = String.format(Locale.ROOT, "syncing: %,d/%,d files, %s/%s, %s/s, %s", files,
        files + filesNeeded, Units.bytes(bytes), Units.bytes(bytes + bytesNeeded), Units.bytes((long) rate), left);
    return new Reading(Optional.of(line), Optional.empty());
  }
}
