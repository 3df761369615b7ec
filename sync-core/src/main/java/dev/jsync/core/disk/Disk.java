package dev.jsync.core.disk;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Everything the sync engine does to the files of a synced folder: look, list, read at offsets,
 * make and fill a temp file, flush it, rename it into place, delete, make folders and links, set
 * the executable bit and times. Narrower than {@code java.nio.file.FileSystem}, so a test double
 * (a disk that fills up, fails reads, or forgets what was never flushed) implements it in a page.
 *
 * <p>Paths are absolute paths on the folder's file system (the default one, or Jimfs in tests).
 * No method follows a link at the path it is given, except {@link #openForHashing}, as its
 * comment says. Whether a link above a path is in the way is the caller's business, except for
 * {@link #openForReading(Path, RelativePath)}, which never follows one anywhere. {@link Disks#system()}
 * is the real one.
 *
 * <p>Errors are the {@code java.nio.file} exceptions: {@link java.nio.file.NoSuchFileException}
 * when nothing is at a path, {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.DirectoryNotEmptyException}, {@link java.nio.file.AccessDeniedException},
 * and a {@link java.nio.file.FileSystemException} whose reason says "No space left on device" when
 * the disk is full.
 *
 * <p>Implementations are thread-safe; every method does blocking I/O.
 */
public interface Disk {

  /**
   * The attributes of what is at {@code file}, not following a link there, in one look.
   *
   * @param type {@code BasicFileAttributes.class}, or {@code PosixFileAttributes.class} where the
   *     file system has POSIX permissions
   * @throws java.nio.file.NoSuchFileException if nothing is there
   */
  <A extends BasicFileAttributes> A attributes(Path file, Class<A> type) throws IOException;

  /**
   * The type of the file system holding {@code dir}, as {@link java.nio.file.FileStore#type()}
   * names it ("ext4", "vfat", ...): what tells a FAT disk, whose permissions are fixed, apart.
   */
  String storeType(Path dir) throws IOException;

  /** Where the link at {@code link} points, as written in it. */
  Path readLink(Path link) throws IOException;

  /** The entries of the folder {@code dir}, in no particular order. */
  List<Path> list(Path dir) throws IOException;

  /**
   * Opens the file at {@code path} below {@code root} for reading without following a link
   * anywhere: neither at the file nor at any folder between {@code root} and it.
   *
   * @throws IOException if anything on the way is a link, or the file cannot be opened
   */
  DiskFile openForReading(Path root, RelativePath path) throws IOException;

  /**
   * Opens {@code file} for reading, as the scanner does to hash a file it has just seen there.
   * A link swapped in at {@code file} since is followed: the scanner looks at the path again
   * after hashing and discards the result if anything changed.
   */
  DiskFile openForHashing(Path file) throws IOException;

  /**
   * Makes a new, empty file at {@code file} and opens it for reading and writing. Never follows
   * a link: anything already at {@code file}, a link included, makes it fail.
   *
   * @throws java.nio.file.FileAlreadyExistsException if something is there
   */
  DiskFile createNew(Path file) throws IOException;

  /** Opens the existing file at {@code file} for reading and writing, refusing a link there. */
  DiskFile openForWriting(Path file) throws IOException;

  /**
   * Makes a new, empty file named {@code name} in the folder that holds {@code file} below
   * {@code root}, and opens it for reading and writing, following no link anywhere: neither at
   * the new file nor at any folder between {@code root} and it. This is how a peer's bytes get a
   * file to land in.
   *
   * <p>This default checks the folders above for links, makes the file with {@code CREATE_NEW},
   * then checks the folders again and that a regular file is at the expected path; if anything
   * on the way became a link in between, it closes and deletes what it made and fails, before a
   * byte is written. A folder swapped for a link and back between the two checks goes
   * unnoticed; the system disk closes that window where the file system can open files relative
   * to an opened folder (Linux).
   *
   * @throws java.nio.file.FileAlreadyExistsException if something is at the new file's path
   * @throws IOException if a link is on the way, or the file cannot be made
   */
  default DiskFile createNewNextTo(Path root, RelativePath file, String name) throws IOException {
    Path at = root.resolve(file.toString()).resolveSibling(name);
    refuseLinkAbove(root, file, name);
    return verifiedOpen(root, file, name, createNew(at), true);
  }

  /**
   * Opens the existing regular file named {@code name} in the folder that holds {@code file}
   * below {@code root} for reading and writing, following no link anywhere, as
   * {@link #createNewNextTo} makes one (the same default check, before and after).
   */
  default DiskFile openForWritingNextTo(Path root, RelativePath file, String name) throws IOException {
    Path at = root.resolve(file.toString()).resolveSibling(name);
    refuseLinkAbove(root, file, name);
    return verifiedOpen(root, file, name, openForWriting(at), false);
  }

  private DiskFile verifiedOpen(Path root, RelativePath file, String name, DiskFile opened, boolean made)
      throws IOException {
    Path at = root.resolve(file.toString()).resolveSibling(name);
    try {
      refuseLinkAbove(root, file, name);
      if (!attributes(at, BasicFileAttributes.class).isRegularFile()) {
        throw new IOException("refusing to write " + name + " next to " + file + ": it is not a regular file");
      }
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      if (made) {
        try {
          deleteIfExists(at); // the file just made, wherever the swapped-in link took it
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private void refuseLinkAbove(Path root, RelativePath file, String name) throws IOException {
    for (RelativePath ancestor : file.ancestors()) {
      boolean link;
      try {
        link = attributes(root.resolve(ancestor.toString()), BasicFileAttributes.class).isSymbolicLink();
      } catch (java.nio.file.NoSuchFileException e) {
        link = false;
      }
      if (link) {
        throw new IOException("refusing to write " + name + " next to " + file + ": its folder " + ancestor
            + " is a symbolic link, which jSync never follows");
      }
    }
  }

  /**
   * Renames the entry named {@code from} in the folder that holds {@code file} below {@code root}
   * to {@code file}'s name, in one atomic step, replacing what is there, following no link at any
   * folder between {@code root} and it (a link at {@code from} is renamed as the link). This is
   * how a download, a merge and a conflict copy get their names.
   *
   * <p>This default checks the folders above for links and then renames by path
   * ({@link #move}): a folder swapped for a link between the check and the rename is followed.
   * The system disk closes that window where the file system can open folders relative to each
   * other (Linux).
   *
   * @throws java.nio.file.AtomicMoveNotSupportedException if the file system cannot
   * @throws IOException if a link is on the way, or the rename fails
   */
  default void moveNextTo(Path root, RelativePath file, String from) throws IOException {
    Path to = root.resolve(file.toString());
    refuseLinkAbove(root, file, file.name());
    move(to.resolveSibling(from), to);
  }

  /**
   * Deletes what is at {@code path} below {@code root} (a link itself, a folder only if it is
   * empty), following no link at any folder between {@code root} and it: never an entry of the
   * same name that a folder swapped for a link leads to. The default checks the folders above
   * and then deletes by path ({@link #delete}), with the window {@link #moveNextTo} describes.
   *
   * @throws IOException if a link is on the way, or the delete fails
   */
  default void deleteBelow(Path root, RelativePath path) throws IOException {
    refuseLinkAbove(root, path, path.name());
    delete(root.resolve(path.toString()));
  }

  /**
   * Renames {@code from} to {@code to} in one atomic step, replacing what is at {@code to}. The
   * new name is durable only once the folder holding it is {@linkplain #syncDirectory synced}.
   *
   * @throws java.nio.file.AtomicMoveNotSupportedException if the file system cannot
   */
  void move(Path from, Path to) throws IOException;

  /** Deletes what is at {@code file}: a link itself, a folder only if it is empty. */
  void delete(Path file) throws IOException;

  /** Deletes what is at {@code file} as {@link #delete} does; false if nothing was there. */
  boolean deleteIfExists(Path file) throws IOException;

  /** Makes the folder {@code dir}; its parent must exist. */
  void createDirectory(Path dir) throws IOException;

  /** Makes {@code dir} and any folder above it that is missing. */
  void createDirectories(Path dir) throws IOException;

  /** Makes a symbolic link at {@code link} pointing to {@code target}, as written. */
  void createLink(Path link, Path target) throws IOException;

  /** Sets the POSIX permissions of {@code file}, not following a link there. */
  void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException;

  /** Sets the modification time of {@code file}, of a link itself if it is one. */
  void setModifiedTime(Path file, FileTime time) throws IOException;

  /**
   * Flushes the entries of the folder {@code dir} (a rename or a new file in it) to the device.
   * Does nothing where folders cannot be opened (Windows: a rename there is durable once the
   * file system says so), nor if {@code dir} is gone.
   *
   * @throws IOException if the flush itself failed: renames in {@code dir} may not survive a crash
   */
  void syncDirectory(Path dir) throws IOException;
}
