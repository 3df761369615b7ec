package dev.jsync.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How jSync keeps a node's own files (its state folder: the index, the device key, the status
 * file) to the user who runs it: folders {@code 0700}, files {@code 0600}, given at creation
 * (never created wider and narrowed afterwards, which would leave a moment in which another user
 * could open them), and narrowed at start when an older version, a copy or a restore left them
 * wider. Only bits are ever removed, never added.
 *
 * <p>On a file system without POSIX permissions nothing here applies: on Windows creation uses the
 * folder's inherited ACLs; on a FAT, exFAT, NTFS or SMB volume mounted on Linux or macOS the JDK
 * offers permissions but the volume shows one fixed mode for every file (set by its mount
 * options), so {@link #readableByOthers} says false and {@link #narrow} changes nothing there.
 * Stateless; the methods do file I/O on the paths they are given.
 */
public final class PrivateFiles {

  /** The permission bits of anyone but the owner. */
  private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

  private PrivateFiles() {
  }

  /**
   * File system types (as {@link java.nio.file.FileStore#type()} names them on Linux and macOS)
   * whose permission bits are a fixed mask from the mount options, not a property of each file.
   */
  private static final Set<String> NO_PERMISSIONS = Set.of("vfat", "msdos", "fat", "exfat", "fuseblk", "ntfs",
      "ntfs3", "cifs", "smb3", "smbfs", "9p", "vboxsf");

  /** Whether {@code path}'s file system type offers POSIX permissions (cheap: no I/O). */
  public static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Whether the volume {@code path} is on (or would be on: its nearest existing ancestor) keeps
   * permissions per file, so that checking and narrowing them means something.
   */
  public static boolean keepsPermissions(Path path) throws IOException {
    if (!posix(path)) {
      return false;
    }
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return true;
    }
    return !NO_PERMISSIONS.contains(Files.getFileStore(existing).type().toLowerCase(java.util.Locale.ROOT));
  }

  /** The attributes that create a file as {@code 0600} where {@code path} lives; none off POSIX. */
  public static FileAttribute<?>[] file(Path path) {
    return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))} : NONE;
  }

  /** The attributes that create a folder as {@code 0700} where {@code path} lives; none off POSIX. */
  public static FileAttribute<?>[] folder(Path path) {
    return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))} : NONE;
  }

  /**
   * Creates {@code dir} and any missing parents as {@code 0700} (the umask can only narrow that);
   * an existing folder is left as it is.
   */
  public static Path createFolders(Path dir) throws IOException {
    return Files.createDirectories(dir, folder(dir));
  }

  /**
   * Whether anyone but the owner may read {@code path}; false on a volume that does not
   * {@linkplain #keepsPermissions keep permissions}. Does not follow a link.
   */
  public static boolean readableByOthers(Path path) throws IOException {
    if (!keepsPermissions(path)) {
      return false;
    }
    Set<PosixFilePermission> p = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .permissions();
    return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
  }

  /** {@code path}'s permission bits as {@code ls -l} shows them, e.g. {@code rw-r--r--}; "" off POSIX. */
  public static String mode(Path path) throws IOException {
    return posix(path) ? PosixFilePermissions.toString(
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions()) : "";
  }

  /**
   * Takes every group and other bit off {@code dir} and off everything under it, and returns what
   * was changed, as {@code path (old mode)}, {@code dir} first. {@code dir} itself may be a link
   * (a state folder moved to another disk on purpose); below it no link is followed and links are
   * left as they are (their own bits mean nothing). Does nothing on a volume that does not
   * {@linkplain #keepsPermissions keep permissions}.
   */
  public static List<String> narrow(Path dir) throws IOException {
    List<String> changed = new ArrayList<>();
    if (!keepsPermissions(dir)) {
      return changed;
    }
    Path real = dir.toRealPath();
    Files.walkFileTree(real, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        visit(d);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isSymbolicLink()) {
          visit(f);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (e instanceof java.nio.file.NoSuchFileException) {
          return FileVisitResult.CONTINUE; // removed meanwhile (a RocksDB file of a closing process)
        }
        throw e;
      }

      private void visit(Path p) throws IOException {
        Path shown = p.equals(real) ? dir : dir.resolve(real.relativize(p));
        narrowBits(p, shown).ifPresent(changed::add);
      }
    });
    return changed;
  }

  /**
   * Takes every group and other bit off {@code path} itself, not off anything in it, and returns
   * the change as {@code path (old mode)}. A link, or a path that does not exist, is left alone.
   * Does nothing on a volume that does not {@linkplain #keepsPermissions keep permissions}.
   */
  public static Optional<String> narrowOne(Path path) throws IOException {
    if (!keepsPermissions(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      return Optional.empty();
    }
    return narrowBits(path, path);
  }

  private static Optional<String> narrowBits(Path p, Path shown) throws IOException {
    Set<PosixFilePermission> perms = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .permissions();
    Set<PosixFilePermission> narrowed = EnumSet.noneOf(PosixFilePermission.class);
    narrowed.addAll(perms);
    if (!narrowed.removeAll(NOT_OWNER)) {
      return Optional.empty();
    }
    Files.setPosixFilePermissions(p, narrowed);
    return Optional.of(shown + " (" + PosixFilePermissions.toString(perms) + ")");
  }
}
