package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.store.DiskStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The synced folder on disk, through a {@link Disk} on the root it is given (a real folder or,
 * in tests, one on Jimfs; {@link dev.jsync.core.disk.Disks#system()} or a test's own disk). Every path goes in as a
 * {@link RelativePath}, so nothing outside the root can be named; links are never followed.
 * Stateless apart from the root and the disk; thread-safe.
 */
public final class DiskView {

  /**
   * File system types (as {@link java.nio.file.FileStore#type()} names them on Linux) that show
   * fixed permissions, the same for every file, whatever was set: their executable bit means
   * nothing.
   */
  private static final Set<String> FIXED_PERMISSION_TYPES = Set.of("vfat", "msdos", "exfat", "fat", "fat32");

  private final Disk disk;
  private final Path root;
  private final boolean posix;
  private final boolean executableBits;

  /** A view of the folder at {@code root}, which must exist, through the system's disk. */
  public DiskView(Path root) {
    this(Disks.system(), root);
  }

  /** A view of the folder at {@code root}, which must exist, through {@code disk}. */
  public DiskView(Disk disk, Path root) {
    this(disk, root, hasMeaningfulExecutableBits(disk, root));
  }

  /**
   * A view of the folder at {@code root}, told whether the file system keeps each file's
   * executable bit ({@code false} for a Windows or FAT file system, and in tests of that case).
   */
  public DiskView(Path root, boolean executableBits) {
    this(Disks.system(), root, executableBits);
  }

  private DiskView(Disk disk, Path root, boolean executableBits) {
    this.disk = disk;
    this.root = root;
    this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.executableBits = posix && executableBits;
  }

  /**
   * Whether the file system at {@code root} keeps an executable bit per file: it has POSIX
   * permissions and is not one of the FAT family, which Linux shows with one fixed mode for
   * every file.
   */
  private static boolean hasMeaningfulExecutableBits(Disk disk, Path root) {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    try {
      return !FIXED_PERMISSION_TYPES.contains(disk.storeType(root).toLowerCase(java.util.Locale.ROOT));
    } catch (IOException | UnsupportedOperationException e) {
      return true;
    }
  }

  /**
   * Whether this file system keeps each file's executable bit. Where it does not, what a scan
   * observes says nothing about the bit ({@link Observed#executableKnown()} is false) and the
   * index keeps the bit it has: received from a peer, or false for a file made here.
   */
  public boolean hasExecutableBits() {
    return executableBits;
  }

  public Path root() {
    return root;
  }

  /** The disk this view reads and writes through. */
  public Disk disk() {
    return disk;
  }

  /** The absolute location of {@code path}. */
  public Path resolve(RelativePath path) {
    return root.resolve(path.toString());
  }

  /**
   * Refuses to go on if any folder above {@code path} is a symbolic link. Java cannot open a
   * path without following links in its parent folders, so without this check a peer could
   * send a link {@code out -> /etc} and then a file {@code out/passwd}, and the write would
   * land outside the folder. Called before every write, rename and delete.
   *
   * @throws IOException naming the link
   */
  public void checkNoLinkAbove(RelativePath path) throws IOException {
    for (RelativePath ancestor : path.ancestors()) {
      if (isLink(resolve(ancestor))) {
        throw new IOException("refusing to write " + path + ": its folder " + ancestor
            + " is a symbolic link, which jSync never follows");
      }
    }
  }

  private boolean isLink(Path p) throws IOException {
    try {
      return disk.attributes(p, BasicFileAttributes.class).isSymbolicLink();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * Opens the file at {@code path} for reading without following a link anywhere: neither at
   * {@code path} itself nor at any folder above it (see {@link Disk#openForReading}).
   *
   * @throws IOException if anything on the way is a link, or the file cannot be opened
   */
  public DiskFile openForReading(RelativePath path) throws IOException {
    return disk.openForReading(root, path);
  }

  /** Opens the file at {@code path} to hash it (see {@link Disk#openForHashing}). */
  public DiskFile openForHashing(RelativePath path) throws IOException {
    return disk.openForHashing(resolve(path));
  }

  /** What is at {@code path} now, not following links; empty if nothing. */
  public Optional<Observed> observe(RelativePath path) throws IOException {
    return observe(resolve(path));
  }

  /** What is at {@code file} now, not following links; empty if nothing. */
  public Optional<Observed> observe(Path file) throws IOException {
    BasicFileAttributes attrs = attributes(file);
    return attrs == null ? Optional.empty() : Optional.of(toObserved(file, attrs));
  }

  /**
   * The attributes of {@code file}, not following links, in one system call: POSIX ones where
   * the file system has them (so {@link #toObserved} needs no second look for the executable
   * bit), basic ones otherwise; {@code null} if nothing is there.
   */
  public BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return posix
          ? disk.attributes(file, PosixFileAttributes.class)
          : disk.attributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Converts attributes already read (e.g. during a walk). */
  public Observed toObserved(Path file, BasicFileAttributes attrs) throws IOException {
    FileKind kind = attrs.isSymbolicLink() ? FileKind.SYMLINK : attrs.isDirectory() ? FileKind.DIRECTORY : FileKind.FILE;
    boolean exec = kind == FileKind.FILE && executableBits && isExecutable(file, attrs);
    String target = kind == FileKind.SYMLINK ? disk.readLink(file).toString() : "";
    long size = kind == FileKind.FILE ? attrs.size() : 0;
    Object key = attrs.fileKey();
    DiskStat stat = new DiskStat(size, nanos(attrs.lastModifiedTime()), key == null ? "" : key.toString());
    return new Observed(kind, stat, exec, target, kind != FileKind.FILE || executableBits);
  }

  // A walk hands over whatever attributes the provider reads for BasicFileAttributes: POSIX
  // ones on the JDK's Unix file system, basic ones on others (Jimfs), so ask again if needed.
  private boolean isExecutable(Path file, BasicFileAttributes attrs) throws IOException {
    if (attrs instanceof PosixFileAttributes p) {
      return p.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
    }
    if (!posix) {
      return false;
    }
    try {
      return disk.attributes(file, PosixFileAttributes.class).permissions()
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (NoSuchFileException e) {
      return false; // gone meanwhile: the scanner's second look will notice
    }
  }

  /** Whether anything is at {@code file}, not following a link there. */
  boolean exists(Path file) throws IOException {
    return attributes(file) != null;
  }

  /** Whether {@code file} is a folder (a link to one is not). */
  boolean isDirectory(Path file) throws IOException {
    BasicFileAttributes attrs = attributes(file);
    return attrs != null && attrs.isDirectory();
  }

  /** The entries of the folder {@code dir}, in no particular order. */
  List<Path> list(Path dir) throws IOException {
    return disk.list(dir);
  }

  /**
   * The bytes of the regular file at {@code path}, read without following a link anywhere;
   * empty if nothing, or something other than a regular file, is there.
   */
  Optional<byte[]> readFile(RelativePath path) throws IOException {
    BasicFileAttributes attrs = attributes(resolve(path));
    if (attrs == null || !attrs.isRegularFile()) {
      return Optional.empty();
    }
    try (DiskFile f = openForReading(path)) {
      long size = f.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(path + " is too large to read at once (" + size + " bytes)");
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) size);
      f.readFully(bytes, 0); // a file cut short meanwhile gives what was there
      return Optional.of(Arrays.copyOf(bytes.array(), bytes.position()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Deletes what is at {@code file}: a link itself, a folder only if it is empty. */
  void delete(Path file) throws IOException {
    disk.delete(file);
  }

  /**
   * Deletes what is at {@code path} as {@link #delete} does, following no link above it, even
   * one swapped in after the last check ({@link Disk#deleteBelow}).
   */
  void delete(RelativePath path) throws IOException {
    disk.deleteBelow(root, path);
  }

  /**
   * Renames {@code from}, in the same folder, to {@code file} as
   * {@link #moveAtomically} does, following no link above it, even one swapped in after the last
   * check ({@link Disk#moveNextTo}).
   */
  void moveInto(RelativePath file, Path from) throws IOException {
    Path to = resolve(file);
    if (!to.getParent().equals(from.getParent())) {
      moveAtomically(from, to); // not in one folder: by path, after the caller's check
      return;
    }
    try {
      disk.moveNextTo(root, file, from.getFileName().toString());
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically", e);
    }
  }

  /** Deletes what is at {@code file} as {@link #delete} does; false if nothing was there. */
  boolean deleteIfExists(Path file) throws IOException {
    return disk.deleteIfExists(file);
  }

  /** Makes the folder {@code dir}; its parent must exist. */
  void createDirectory(Path dir) throws IOException {
    disk.createDirectory(dir);
  }

  /** Makes {@code dir} and any folder above it that is missing. */
  void createDirectories(Path dir) throws IOException {
    disk.createDirectories(dir);
  }

  /** Makes a symbolic link at {@code link} pointing to {@code target}, as written. */
  void createLink(Path link, String target) throws IOException {
    disk.createLink(link, link.getFileSystem().getPath(target));
  }

  /** Whether {@code attrs} describe something jSync syncs: a file, folder or symlink. */
  public static boolean isSyncable(BasicFileAttributes attrs) {
    return attrs.isRegularFile() || attrs.isDirectory() || attrs.isSymbolicLink();
  }

  public static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /**
   * Sets the modification time (nanosecond precision where the file system keeps it), of a link
   * itself if {@code file} is one: never of what a link points to.
   */
  public void setModified(Path file, long nanos) throws IOException {
    disk.setModifiedTime(file, FileTime.from(nanos, TimeUnit.NANOSECONDS));
  }

  /** Sets or clears the executable bits, where the file system has them. */
  public void setExecutable(Path file, boolean executable) throws IOException {
    if (!executableBits) {
      return;
    }
    Set<PosixFilePermission> perms = EnumSet.copyOf(disk.attributes(file, PosixFileAttributes.class).permissions());
    boolean changed;
    if (executable) {
      changed = perms.add(PosixFilePermission.OWNER_EXECUTE);
      // Mirror read permission onto execute for group and others, as chmod +x would.
      if (perms.contains(PosixFilePermission.GROUP_READ)) {
        changed |= perms.add(PosixFilePermission.GROUP_EXECUTE);
      }
      if (perms.contains(PosixFilePermission.OTHERS_READ)) {
        changed |= perms.add(PosixFilePermission.OTHERS_EXECUTE);
      }
    } else {
      changed = perms.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    if (changed) {
      disk.setPermissions(file, perms);
    }
  }

  /**
   * Deletes jSync's temp files ({@value RelativePath#TEMP_PREFIX}...) directly inside
   * {@code dir}: partial downloads kept for a resume, which must not keep a folder that is to
   * be deleted alive. Call it only while no download into {@code dir} is running.
   *
   * <p>Only names exactly as jSync writes them: a case variant such as {@code .JSYNC-TMP-x} is
   * never jSync's (it refuses to sync such names, see {@link ReservedNames}), so on a
   * case-sensitive disk it is a user's file, and it is left alone.
   */
  public void deleteTempFilesIn(Path dir) throws IOException {
    for (Path p : disk.list(dir)) {
      if (p.getFileName().toString().startsWith(RelativePath.TEMP_PREFIX) && isRegularFile(p)) {
        disk.deleteIfExists(p);
      }
    }
  }

  private boolean isRegularFile(Path p) throws IOException {
    try {
      return disk.attributes(p, BasicFileAttributes.class).isRegularFile();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Renames {@code from} onto {@code to} atomically, replacing it. */
  public void moveAtomically(Path from, Path to) throws IOException {
    try {
      disk.move(from, to);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically", e);
    }
  }

  /**
   * Flushes a folder's entries (a rename inside it) to disk. Where folders cannot be opened
   * (Windows), the rename is durable once the file system says so; nothing more can be done
   * ({@link Disk#syncDirectory} does nothing there).
   *
   * @throws UncheckedIOException if the sync failed: the renames in {@code dir} may be lost in a
   *     crash, so what records them must not be stored (a record of a file that a crash then
   *     takes away reads, at the next scan, as the user's delete of it)
   */
  public void fsyncDirectory(Path dir) {
    try {
      disk.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync the folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** True if the exception means the disk is full. */
  public static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return e instanceof FileSystemException && m != null && m.contains("No space left");
  }
}
