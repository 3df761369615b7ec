package dev.jsync.testkit;

import com.google.common.jimfs.Configuration;

/**
 * The platform a simulated device's folder behaves like, as far as names go: Linux (ext4: names
 * are compared exactly), macOS (APFS: case-insensitive and normalisation-insensitive lookups) or
 * Windows (NTFS: case-insensitive lookups, {@code \}-separated paths, and the characters Windows
 * forbids in names refused). Each is a Jimfs configuration, with POSIX permissions added on every
 * one, so that the executable bit still syncs: only naming differs between the platforms here.
 * Jimfs folds case in ASCII only, where the real file systems fold all of Unicode.
 */
public enum Platform {
  LINUX,
  MACOS,
  WINDOWS;

  /** The Jimfs configuration of a folder on this platform. */
  Configuration jimfs() {
    Configuration base = switch (this) {
      case LINUX -> Configuration.unix();
      case MACOS -> Configuration.osX();
      case WINDOWS -> Configuration.windows();
    };
    return base.toBuilder().setAttributeViews("basic", "posix").build();
  }

  /** Where a device's folder is on this platform's file system. */
  String folder() {
    return this == WINDOWS ? "C:\\sync" : "/sync";
  }
}
