package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names a folding file system actually holds. On a case-insensitive disk a lookup of
 * {@code note.md} finds {@code Note.md}: the JDK cannot tell the two apart, so whoever asks
 * whether a path is there (the scanner after a case-only rename, the applier before writing a
 * peer's path) would take one file for the other. This lists the folders on the way and
 * compares the stored names.
 *
 * <p>On a disk that folds nothing it does no I/O. Otherwise one listing per segment of the path,
 * which is why callers ask only about paths the disk seems to hold, or are about to write.
 * Stateless; any thread.
 */
final class StoredNames {

  private StoredNames() {}

  /**
   * The path already on disk that {@code path} would land on here though it is another path
   * (a name on the way differs from {@code path}'s only in case, or in Unicode form), if any.
   * Empty when the disk holds {@code path} itself, nothing of that name, or folds nothing.
   */
  static Optional<RelativePath> collision(DiskView disk, FolderNaming naming, RelativePath path) throws IOException {
    return collision(disk, naming, path, dir -> disk.disk().list(dir));
  }

  /** Lists a folder: the disk's listing, or one kept from an earlier call ({@link #listingOnce}). */
  interface Lister {
    /**
     * @throws NoSuchFileException if there is no such folder
     * @throws NotDirectoryException if it is a file
     */
    List<Path> list(Path dir) throws IOException;
  }

  /**
   * A lister that lists each folder of {@code disk} once and answers again from that, for a
   * check of many paths at once (all of a restarted node's needs) that must not list a big
   * folder once per path in it. For the length of that check only: it does not see changes.
   */
  static Lister listingOnce(DiskView disk) {
    Map<Path, Object> seen = new HashMap<>();
    return dir -> {
      Object held = seen.get(dir);
      if (held == null) {
        try {
          held = disk.disk().list(dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
          held = e;
        }
        seen.put(dir, held);
      }
      if (held instanceof IOException e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      List<Path> entries = (List<Path>) held;
      return entries;
    };
  }

  /** {@link #collision(DiskView, FolderNaming, RelativePath)}, listing folders through {@code lister}. */
  static Optional<RelativePath> collision(DiskView disk, FolderNaming naming, RelativePath path, Lister lister)
      throws IOException {
    if (!naming.foldsCase()) {
      return Optional.empty(); // a disk that only normalises: every path here is NFC, so no two collide
    }
    Path dir = disk.root();
    List<String> segments = path.segments();
    StringBuilder held = new StringBuilder();
    for (String wanted : segments) {
      String exact = null;
      String folded = null;
      List<Path> entries;
      try {
        entries = lister.list(dir);
      } catch (NoSuchFileException | NotDirectoryException e) {
        return Optional.empty();
      }
      String key = naming.key(wanted);
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        if (nfc.equals(wanted)) {
          exact = name;
          break;
        }
        if (folded == null && naming.key(nfc).equals(key)) {
          folded = nfc;
        }
      }
      if (exact == null && folded == null) {
        return Optional.empty(); // nothing of this name: nothing for the path to land on
      }
      if (exact == null) {
        held.append(held.length() == 0 ? "" : "/").append(folded);
        try {
          return Optional.of(RelativePath.of(held.toString()));
        } catch (InvalidRelativePathException e) {
          return Optional.empty(); // a name jSync does not sync (the scan says so)
        }
      }
      held.append(held.length() == 0 ? "" : "/").append(wanted);
      dir = dir.resolve(exact);
    }
    return Optional.empty();
  }

  /**
   * What is at {@code path} on disk, as {@link DiskView#observe} says, but empty when the disk
   * holds it only under another name (a case variant): that is another path's file. Empty too
   * when a file (or a link) stands where a folder above it was, which Linux answers with an
   * error rather than "no such file".
   */
  static Optional<Observed> observe(DiskView disk, FolderNaming naming, RelativePath path) throws IOException {
    Optional<Observed> seen;
    try {
      seen = disk.observe(path);
    } catch (FileSystemException e) {
      if (belowAFile(disk, path)) {
        return Optional.empty(); // Linux's "Not a directory": a file holds a folder's place above it
      }
      throw e;
    }
    if (seen.isPresent() && collision(disk, naming, path).isPresent()) {
      return Optional.empty();
    }
    return seen;
  }

  /** Whether something on the way to {@code path} is missing or is not a folder: then nothing is at it. */
  private static boolean belowAFile(DiskView disk, RelativePath path) throws IOException {
    for (RelativePath above : path.ancestors()) {
      Optional<Observed> o = disk.observe(above);
      if (o.isEmpty() || o.get().kind() != FileKind.DIRECTORY) {
        return true;
      }
    }
    return false;
  }
}
