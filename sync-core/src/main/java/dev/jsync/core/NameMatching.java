package dev.jsync.core;

/**
 * How a node takes the file system under its folder to compare names ({@link SyncOptions#names()}).
 * The default, {@link #DETECT}, finds out by experiment at start; the others say it outright,
 * for a file system the experiment misjudges or a test. Names on the wire are NFC whatever this
 * says; it decides which paths the folder cannot hold side by side and which names it cannot
 * hold at all (docs/filesystems.md).
 */
public enum NameMatching {
  /** Probe the folder's file system at start (in the state folder). */
  DETECT,
  /** Case-sensitive, names kept as given: ext4, tmpfs, most Linux disks. */
  EXACT,
  /**
   * Case-insensitive, Unicode forms told apart, and Windows' rules on names (reserved device
   * names, forbidden characters, trailing dots and spaces): NTFS.
   */
  WINDOWS,
  /** Case-insensitive and normalisation-insensitive: APFS and HFS+ as macOS formats them. */
  MACOS
}
