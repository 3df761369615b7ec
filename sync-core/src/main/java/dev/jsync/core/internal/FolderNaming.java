package dev.jsync.core.internal;

import dev.jsync.core.NameMatching;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the file system under a folder compares names: whether two names that differ only in
 * case, or only in Unicode normalisation (NFC against NFD), open the same file. APFS and HFS+
 * (macOS) do both by default, NTFS (Windows) folds case, ext4 does neither. jSync keeps names in
 * NFC on the wire whatever the disk does; this says which names a folder cannot hold side by
 * side, so that two peer paths that would land on one file are found before either is written.
 *
 * <p>{@link #probe} finds out by experiment, in a folder of the state folder, as the file
 * system's name is no guide (an ext4 folder can be case-insensitive, an APFS volume
 * case-sensitive). Immutable and thread-safe.
 */
public record FolderNaming(boolean foldsCase, boolean normalises, boolean windowsNames) {

  /** A case-sensitive file system that keeps names as given: ext4, tmpfs, most Linux disks. */
  public static final FolderNaming EXACT = new FolderNaming(false, false, false);
  /** macOS's default: APFS or HFS+, case-insensitive and normalisation-insensitive. */
  public static final FolderNaming MACOS = new FolderNaming(true, true, false);
  /**
   * Windows's default: NTFS, case-insensitive, names kept as given otherwise, and Windows'
   * rules on names ({@link #unportableOnWindows}).
   */
  public static final FolderNaming WINDOWS = new FolderNaming(true, false, true);

  /** A file system with these folds, and no rules on names beyond the separator and NUL. */
  public FolderNaming(boolean foldsCase, boolean normalises) {
    this(foldsCase, normalises, false);
  }

  /** The naming {@code matching} sets; {@link NameMatching#DETECT} has none (probe instead). */
  public static FolderNaming of(NameMatching matching) {
    return switch (matching) {
      case EXACT -> EXACT;
      case WINDOWS -> WINDOWS;
      case MACOS -> MACOS;
      case DETECT -> throw new IllegalArgumentException("DETECT names no naming: probe the folder");
    };
  }

  private static final Set<String> WINDOWS_DEVICES = Set.of("con", "prn", "aux", "nul",
      "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
      "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  /**
   * Finds out how names compare in {@code scratch}, a folder jSync owns (in the state folder),
   * by creating a file and looking it up under other forms of its name. The probe files are
   * removed again.
   *
   * @throws IOException if the folder cannot be written
   */
  public static FolderNaming probe(Path scratch) throws IOException {
    Files.createDirectories(scratch);
    String stem = "probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    boolean foldsCase = sameFile(scratch, stem + "-case-a", stem + "-CASE-A");
    // "e" with a combining acute accent (NFD) against the precomposed "é" (NFC)
    boolean normalises = sameFile(scratch, stem + "-e\u0301", stem + "-\u00e9");
    // Windows' rules on names come with the platform, not the volume: creating "CON" to find
    // out would open the console. Its file systems (and Jimfs's Windows one) separate with '\'.
    boolean windowsNames = scratch.getFileSystem().getSeparator().equals("\\");
    return new FolderNaming(foldsCase, normalises, windowsNames);
  }

  private static boolean sameFile(Path dir, String created, String looked) throws IOException {
    Path file = dir.resolve(created);
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // left by a probe cut short: use it
    }
    try {
      return Files.exists(dir.resolve(looked), LinkOption.NOFOLLOW_LINKS);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The form of {@code path} (canonical, NFC, {@code /}-separated) under which this file system
   * tells names apart: two paths with the same key are one file here. Case is folded fully
   * ({@code ß} as {@code ss}), which is at least as broad as APFS's and NTFS's folding: a pair
   * of names those keep apart by a narrower table is treated as colliding, never the reverse.
   */
  public String key(String path) {
    if (!foldsCase) {
      return path; // canonical paths are NFC already; an exact file system keeps them apart
    }
    // Every segment folded alike (NFC either way): NFD and NFC forms of a name are one key
    // on a normalising disk, and on a disk that only folds case they cannot both be canonical.
    return Normalizer.normalize(path, Normalizer.Form.NFC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }

  /** Whether {@code a} and {@code b}, two different canonical paths, are one file here. */
  public boolean collide(String a, String b) {
    return !a.equals(b) && key(a).equals(key(b));
  }

  /**
   * Why Windows cannot hold a file or folder named {@code segment}, if it cannot: a reserved
   * device name ({@code CON}, {@code NUL}, {@code COM1}, with or without an extension), a
   * character Windows forbids in names ({@code < > : " \ | ? *} or a control character), or
   * a trailing dot or space (which Windows drops, so the name would change).
   */
  public static Optional<String> unportableOnWindows(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < 0x20 || "<>:\"\\|?*".indexOf(c) >= 0) {
        return Optional.of(c < 0x20 ? "holds a control character" : "holds '" + c + "', which Windows forbids in names");
      }
    }
    if (segment.endsWith(".") || segment.endsWith(" ")) {
      return Optional.of("ends with a dot or a space, which Windows drops");
    }
    int dot = segment.indexOf('.');
    String stem = (dot < 0 ? segment : segment.substring(0, dot)).stripTrailing().toLowerCase(Locale.ROOT);
    if (WINDOWS_DEVICES.contains(stem)) {
      return Optional.of("is a device name on Windows (" + stem.toUpperCase(Locale.ROOT) + ")");
    }
    return Optional.empty();
  }

  /** Why this platform cannot hold a file or folder named {@code segment}, if it cannot. */
  public Optional<String> cannotHold(String segment) {
    return windowsNames ? unportableOnWindows(segment) : Optional.empty();
  }

  /** What this file system takes for one name, in words (for status lines). */
  public String folds() {
    return foldsCase && normalises ? "differ only in case or Unicode form, one name on this disk"
        : foldsCase ? "differ only in case, one name on this disk" : "are one name on this disk";
  }
}
