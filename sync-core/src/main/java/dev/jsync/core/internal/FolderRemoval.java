package dev.jsync.core.internal;

import dev.jsync.core.IgnoreRules;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removing a folder that a peer deleted (or that was made only to hold a download): what in it
 * may go with it, and what keeps it.
 *
 * <p>Three kinds of entries can still be in such a folder once its synced contents are gone:
 * <ul>
 *   <li>jSync's own temp files ({@value RelativePath#TEMP_PREFIX}..., exactly so spelled):
 *       partial downloads, which must not keep a deleted folder alive;</li>
 *   <li>junk files the operating system drops into folders the user opened ({@code .DS_Store},
 *       {@code ._*} AppleDouble files, {@code Thumbs.db}, {@code desktop.ini}), when the ignore
 *       rules ignore them: they hold nothing the user made, so they go with the folder;</li>
 *   <li>anything else the ignore rules ignore (a build output, {@code .git/}): the user's, and
 *       never deleted by jSync. It keeps the folder, and {@link HeldByIgnoredFiles} names it.</li>
 * </ul>
 * Anything the rules do not ignore is synced: it has its own record, and its own delete comes
 * first (deletes go deepest first), or it is new here and keeps the folder.
 *
 * <p>Stateless; does blocking I/O on the thread that calls it.
 */
final class FolderRemoval {

  /** Names of junk files, compared without case (Windows writes {@code Desktop.ini} too). */
  private static final Set<String> JUNK = Set.of(".ds_store", "thumbs.db", "desktop.ini");

  /** How many of the holding paths an exception names; the rest are counted. */
  private static final int NAMED = 5;

  private FolderRemoval() {}

  /**
   * Whether a file named {@code name} is operating-system junk: Finder's {@code .DS_Store},
   * an AppleDouble {@code ._*} file, Explorer's {@code Thumbs.db} or {@code desktop.ini}.
   */
  static boolean isJunk(String name) {
    return name.startsWith("._") && name.length() > 2 || JUNK.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A folder that holds files the ignore rules ignore and that are not junk: jSync leaves it. */
  static final class HeldByIgnoredFiles extends DirectoryNotEmptyException {
    private static final long serialVersionUID = 1L;
    /** The paths (relative to the synced folder) that hold it, at most {@value #NAMED}. */
    final List<String> held;
    final int count;

    HeldByIgnoredFiles(Path dir, List<String> held) {
      super(dir.toString());
      this.held = List.copyOf(held.subList(0, Math.min(NAMED, held.size())));
      this.count = held.size();
    }

    @Override
    public String getMessage() {
      return "it holds " + (count == 1 ? "an ignored file" : count + " ignored files") + ", which jSync never deletes: "
          + String.join(", ", held) + (count > held.size() ? " and " + (count - held.size()) + " more" : "");
    }
  }

  /** What a folder holds, sorted into the three kinds. */
  private record Contents(List<Path> removable, List<String> heldByIgnored, boolean synced) {}

  /**
   * Deletes the folder {@code folder}, with the temp and junk files in it.
   *
   * @throws HeldByIgnoredFiles if it holds other ignored entries (nothing is deleted)
   * @throws DirectoryNotEmptyException if it holds a synced entry (nothing is deleted)
   * @throws NoSuchFileException if it is gone
   */
  static void remove(DiskView disk, RelativePath folder, IgnoreRules ignores) throws IOException {
    Path dir = disk.resolve(folder);
    Contents c = contents(disk, folder, ignores);
    if (c.synced()) {
      throw new DirectoryNotEmptyException(dir.toString());
    }
    if (!c.heldByIgnored().isEmpty()) {
      throw new HeldByIgnoredFiles(dir, c.heldByIgnored());
    }
    for (Path p : c.removable()) {
      disk.disk().deleteIfExists(p);
    }
    disk.disk().delete(dir); // a file made in it meanwhile makes this fail: the caller retries
  }

  /** Whether {@code folder} holds nothing but temp and junk files, which {@link #remove} deletes. */
  static boolean holdsOnlyRemovable(DiskView disk, RelativePath folder, IgnoreRules ignores) throws IOException {
    Contents c = contents(disk, folder, ignores);
    return !c.synced() && c.heldByIgnored().isEmpty();
  }

  private static Contents contents(DiskView disk, RelativePath folder, IgnoreRules ignores) throws IOException {
    List<Path> removable = new ArrayList<>();
    List<String> held = new ArrayList<>();
    boolean synced = false;
    for (Path p : disk.disk().list(disk.resolve(folder))) {
      String name = p.getFileName().toString();
      BasicFileAttributes attrs = disk.attributes(p);
      if (attrs == null) {
        continue; // gone since the listing
      }
      if (name.startsWith(RelativePath.TEMP_PREFIX) && attrs.isRegularFile()) {
        removable.add(p);
        continue;
      }
      RelativePath rel;
      try {
        rel = folder.resolve(name);
      } catch (InvalidRelativePathException e) {
        held.add(folder + "/" + name); // a name jSync cannot sync: never its to delete
        continue;
      }
      if (!ignores.isIgnored(rel, attrs.isDirectory())) {
        synced = true;
      } else if (attrs.isRegularFile() && isJunk(name)) {
        removable.add(p);
      } else {
        held.add(rel.toString());
      }
    }
    held.sort(null);
    return new Contents(removable, held, synced);
  }
}
