package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.DiskStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The synced folder on disk, through {@code java.nio.file} on the root it is given (a real
 * folder or, in tests, one on Jimfs). Every path goes in as a {@link RelativePath}, so nothing
 * outside the root can be named; links are never followed. Stateless apart from the root;
 * thread-safe.
 */
public final class DiskView {

  /**
   * File system types (as {@link java.nio.file.FileStore#type()} names them on Linux) that show
   * fixed permissions, the same for every file, whatever was set: their executable bit means
   * nothing.
   */
  private static final Set<String> FIXED_PERMISSION_TYPES = Set.of("vfat", "msdos", "exfat", "fat", "fat32");

  private final Path root;
  private final boolean posix;
  private final boolean executableBits;

  /** A view of the folder at {@code root}, which must exist. */
  public DiskView(Path root) {
    this(root, hasMeaningfulExecutableBits(root));
  }

  /**
   * A view of the folder at {@code root}, told whether the file system keeps each file's
   * executable bit ({@code false} for a Windows or FAT file system, and in tests of that case).
   */
  public DiskView(Path root, boolean executableBits) {
    this.root = root;
    this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.executableBits = posix && executableBits;
  }

  /**
   * Whether the file system at {@code root} keeps an executable bit per file: it has POSIX
   * permissions and is not one of the FAT family, which Linux shows with one fixed mode for
   * every file.
   */
  public static boolean hasMeaningfulExecutableBits(Path root) {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    try {
      return !FIXED_PERMISSION_TYPES.contains(Files.getFileStore(root).type().toLowerCase(java.util.Locale.ROOT));
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
      if (Files.isSymbolicLink(resolve(ancestor))) {
        throw new IOException("refusing to write " + path + ": its folder " + ancestor
            + " is a symbolic link, which jSync never follows");
      }
    }
  }

  /**
   * Opens the file at {@code path} for reading without following a link anywhere: neither at
   * {@code path} itself nor at any folder above it. Where the file system offers
   * {@link SecureDirectoryStream} (Linux, Jimfs), each folder is opened relative to the one
   * above it with {@code NOFOLLOW_LINKS} and the file relative to its folder, so there is no
   * window between a check and the use. Elsewhere (Windows, and macOS where the JDK has no
   * such stream) the folders above are checked before and after the file is opened with
   * {@code NOFOLLOW_LINKS}: a folder swapped for a link and back between those two checks
   * goes unnoticed, which is why callers serving peers also check what they read against the
   * index's block hashes.
   *
   * @throws IOException if anything on the way is a link, or the file cannot be opened
   */
  public SeekableByteChannel openForReading(RelativePath path) throws IOException {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (top instanceof SecureDirectoryStream<Path> secure) {
        return openBelow(secure, path);
      }
    }
    checkNoLinkAbove(path);
    SeekableByteChannel ch = Files.newByteChannel(resolve(path), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    try {
      checkNoLinkAbove(path);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private SeekableByteChannel openBelow(SecureDirectoryStream<Path> top, RelativePath path) throws IOException {
    List<String> segments = path.segments();
    List<SecureDirectoryStream<Path>> opened = new ArrayList<>(segments.size() - 1);
    try {
      SecureDirectoryStream<Path> dir = top;
      for (int i = 0; i < segments.size() - 1; i++) {
        dir = dir.newDirectoryStream(root.getFileSystem().getPath(segments.get(i)), LinkOption.NOFOLLOW_LINKS);
        opened.add(dir);
      }
      return dir.newByteChannel(root.getFileSystem().getPath(segments.get(segments.size() - 1)),
          Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    } finally {
      for (SecureDirectoryStream<Path> d : opened) {
        d.close();
      }
    }
  }

  /**
   * Reads {@code buf.remaining()} bytes at {@code position} of {@code ch}; false if the file
   * ends first. Positional where the channel allows, so threads may share a {@link FileChannel}.
   */
  public static boolean readFully(SeekableByteChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    if (ch instanceof FileChannel fc) {
      while (buf.hasRemaining()) {
        int r = fc.read(buf, pos);
        if (r < 0) {
          return false;
        }
        pos += r;
      }
      return true;
    }
    synchronized (ch) {
      ch.position(pos);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          return false;
        }
      }
      return true;
    }
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
          ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Converts attributes already read (e.g. during a walk). */
  public Observed toObserved(Path file, BasicFileAttributes attrs) throws IOException {
    FileKind kind = attrs.isSymbolicLink() ? FileKind.SYMLINK : attrs.isDirectory() ? FileKind.DIRECTORY : FileKind.FILE;
    boolean exec = kind == FileKind.FILE && executableBits && isExecutable(file, attrs);
    String target = kind == FileKind.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
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
      return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions()
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (NoSuchFileException e) {
      return false; // gone meanwhile: the scanner's second look will notice
    }
  }

  /** Whether {@code attrs} describe something jSync syncs: a file, folder or symlink. */
  public static boolean isSyncable(BasicFileAttributes attrs) {
    return attrs.isRegularFile() || attrs.isDirectory() || attrs.isSymbolicLink();
  }

  public static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /**
   * Makes {@code dir} and the folders above it, if it is not a folder already. Looks first:
   * {@link Files#createDirectories} on an existing folder costs a thrown and caught exception
   * (with its stack trace) inside the JDK, once per file pulled.
   */
  public static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
  }

  /**
   * Sets the modification time (nanosecond precision where the file system keeps it), of a link
   * itself if {@code file} is one: never of what a link points to.
   */
  public void setModified(Path file, long nanos) throws IOException {
    Files.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(FileTime.from(nanos, TimeUnit.NANOSECONDS), null, null);
  }

  /** Sets or clears the executable bits, where the file system has them. */
  public void setExecutable(Path file, boolean executable) throws IOException {
    if (!executableBits) {
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> perms = EnumSet.copyOf(view.readAttributes().permissions());
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
      view.setPermissions(perms);
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
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, RelativePath.TEMP_PREFIX + "*")) {
      for (Path p : entries) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Renames {@code from} onto {@code to} atomically, replacing it. */
  public void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically", e);
    }
  }

  /**
   * Flushes a folder's entries (a rename inside it) to disk. Where folders cannot be opened
   * (Windows), the rename is durable once the file system says so; nothing more can be done.
   */
  public void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (Windows, some virtual file systems): nothing to do.
    }
  }

  /** True if the exception means the disk is full. */
  public static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return e instanceof FileSystemException && m != null && m.contains("No space left");
  }
}
