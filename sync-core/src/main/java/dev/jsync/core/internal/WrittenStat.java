package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import java.util.Optional;

/**
 * Whether the stat read back after the applier wrote a file is that file's own, so that it may
 * be recorded for the version just applied. The stat is read after the rename, and a save that
 * lands between the two would otherwise be recorded as the peer's version: never scanned again,
 * never synced, and overwritten by the next remote version.
 *
 * <p>A rename keeps size, modification time and file key (the inode), so a pulled file's stat
 * after it must equal the temp file's just before it. A change of metadata only keeps the file
 * and its size, and the modification time is the one just set, give or take the file system's
 * precision. Stateless.
 */
final class WrittenStat {

  private WrittenStat() {}

  /**
   * @param now what is at the path after the write
   * @param renamed the temp file as it was just before it was renamed into place, or null for
   *     a change of metadata only
   * @param before what was at the path before a change of metadata only
   * @param target the version written
   */
  static boolean holdsWhatWasWritten(Observed now, Observed renamed, Optional<Observed> before, FileRecord target) {
    if (now.kind() != FileKind.FILE) {
      return false;
    }
    if (renamed != null) {
      return now.stat().equals(renamed.stat());
    }
    return before.isPresent() && before.get().kind() == FileKind.FILE
        && now.stat().fileKey().equals(before.get().stat().fileKey())
        && now.stat().size() == target.size()
        && Math.abs(now.stat().modifiedNanos() - target.modifiedNanos()) < RacyFiles.GRANULARITY_NANOS;
  }
}
