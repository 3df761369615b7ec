package dev.jsync.core;

/** What a path names. */
public enum FileKind {
  /** A regular file with content made of blocks. */
  FILE,
  /** A folder; recorded so that empty folders sync too. */
  DIRECTORY,
  /** A symbolic link; its target is recorded and never followed. */
  SYMLINK
}
