package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;

/**
 * What a power cut leaves of a change this node put on disk, should the folder sync that makes
 * it durable fail ({@link GroupCommit}): by it, the next start tells a change the crash undid
 * from one a user removed since ({@link UnrecordedChanges}, {@link VanishedChanges}). It rests
 * on what journaling file systems do: a file or folder flushed after it was made keeps its name
 * through a power cut; a rename is undone or kept whole.
 */
enum CrashTrace {
  /** Nothing to tell by: a crash may take it away unseen (a link, a conflict copy's rename). */
  NONE,
  /** It stays, or (a pulled file, renamed from its flushed temp file) goes back to its temp file's name. */
  KEPT,
  /** A folder made here: the commit syncs it, before its parent, and it stays once that sync succeeded. */
  FOLDER;

  /** The trace of {@code target} written by a peer's change ({@code pulled}: renamed from its temp file). */
  static CrashTrace of(FileRecord target, boolean pulled) {
    return target.kind() == FileKind.DIRECTORY ? FOLDER : pulled ? KEPT : NONE;
  }
}
