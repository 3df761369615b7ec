package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.store.DiskStat;

/**
 * What one look at a path on disk found, without reading a file's content.
 *
 * @param kind file, folder or symlink
 * @param stat size, modification time and file key, for change detection
 * @param executable the owner-executable bit (false where the file system has none)
 * @param symlinkTarget the link's target, empty for anything else
 * @param executableKnown false for a file on a file system without a meaningful executable bit
 *     (Windows, FAT): then {@code executable} says nothing, and the index keeps its own bit
 */
public record Observed(FileKind kind, DiskStat stat, boolean executable, String symlinkTarget,
    boolean executableKnown) {

  /** What a file system with executable bits observed. */
  public Observed(FileKind kind, DiskStat stat, boolean executable, String symlinkTarget) {
    this(kind, stat, executable, symlinkTarget, true);
  }

  /** The bit to record: the one observed, or where none is, {@code recorded} (the index's). */
  public boolean executableOr(boolean recorded) {
    return executableKnown ? executable : recorded;
  }
}
