package dev.jsync.testkit;

import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link FaultyDisk} has done that is not durable yet, and what a crash then loses. The
 * rules are those of a journaling file system (ext4, XFS, Btrfs, APFS, NTFS) in a power cut;
 * where a real disk could end either way, the outcome here is always one a real disk can give
 * (for folders, the loss: such a disk may also keep a folder whose creation a later sync
 * elsewhere on the volume made durable, docs/testkit.md, "The disk-fault phase"):
 * <ul>
 *   <li>a file made and never flushed is gone;</li>
 *   <li>in a file flushed before, bytes written since its last flush read as zeros, and the file
 *       is cut back to its flushed length;</li>
 *   <li>a rename to a new name whose folder was not synced since is undone (one that replaced a
 *       file is kept);</li>
 *   <li>a folder made and never made durable is gone. Its making is durable once the folder is
 *       synced itself, or the folder holding it is, or a file inside it is flushed, or any of that
 *       happens to a folder below it (which cannot outlast the crash without it). A folder that
 *       still holds something once the rest is lost is kept: what is in it outlasted the crash
 *       (a user's own write, which this model never loses), so it did too.</li>
 * </ul>
 * Links, deletes, permissions and times are kept.
 *
 * <p>Not thread-safe: the {@link FaultyDisk} that owns it guards every call.
 */
final class CrashModel {

  /** Files written since their last flush, by where they are now. */
  private final Map<Path, Unsynced> unsynced = new HashMap<>();
  /** Renames to new names not yet made durable by a sync of their folder, oldest first. */
  private final List<Rename> renames = new ArrayList<>();
  /** Folders made whose making is not durable yet. */
  private final Set<Path> madeFolders = new HashSet<>();

  /** What a crash does to a file written since its last flush. */
  private static final class Unsynced {
    /** Made by this disk and never flushed: a crash removes it. */
    final boolean created;
    /** Its length at its last flush. */
    long syncedSize;
    /** Ranges written since the last flush, as {offset, length}. */
    final List<long[]> writes = new ArrayList<>();

    Unsynced(boolean created, long syncedSize) {
      this.created = created;
      this.syncedSize = syncedSize;
    }
  }

  private record Rename(Path from, Path to, Object fileKey) {}

  /** {@code file} was made, empty. */
  void created(Path file) {
    unsynced.put(file, new Unsynced(true, 0));
  }

  /** {@code n} bytes were written at {@code position} into {@code file}, {@code sizeBefore} long before. */
  void wrote(Path file, long sizeBefore, long position, int n) {
    unsynced.computeIfAbsent(file, k -> new Unsynced(false, sizeBefore)).writes.add(new long[] {position, n});
  }

  /** {@code file} was flushed: its bytes, its name and the folders above it are durable. */
  void flushed(Path file) {
    unsynced.remove(file);
    durable(file.getParent());
  }

  /** {@code dir} was made. */
  void folderMade(Path dir) {
    madeFolders.add(dir);
  }

  /** {@code dir} was synced: the names in it, and it, are durable. */
  void folderSynced(Path dir) {
    renames.removeIf(r -> dir.equals(r.to().getParent()));
    madeFolders.removeIf(f -> dir.equals(f.getParent()));
    durable(dir);
  }

  /** {@code dir} and every folder above it outlast a crash. */
  private void durable(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      madeFolders.remove(p);
    }
  }

  /**
   * {@code from} was renamed to {@code to} ({@code replaces}: over something there); {@code fileKey}
   * is what is at {@code to} now. Folders made inside a renamed folder move with it.
   */
  void moved(Path from, Path to, boolean replaces, Object fileKey) {
    Unsynced u = unsynced.remove(from);
    if (u != null) {
      unsynced.put(to, u);
    }
    if (!replaces) {
      renames.add(new Rename(from, to, fileKey));
    }
    List<Path> inside = madeFolders.stream().filter(f -> f.startsWith(from)).toList();
    for (Path f : inside) {
      madeFolders.remove(f);
      madeFolders.add(to.resolve(from.relativize(f).toString()));
    }
  }

  /** {@code path} was deleted. */
  void deleted(Path path) {
    unsynced.remove(path);
    renames.removeIf(r -> r.to().equals(path));
    madeFolders.remove(path);
  }

  /** The power goes out: loses from {@code disk} what was not durable, and forgets it. */
  void crash(Disk disk) throws IOException {
    for (Map.Entry<Path, Unsynced> e : unsynced.entrySet()) {
      loseUnsynced(disk, e.getKey(), e.getValue());
    }
    unsynced.clear();
    for (int i = renames.size() - 1; i >= 0; i--) {
      Rename r = renames.get(i);
      BasicFileAttributes now = attributesOrNull(disk, r.to());
      if (now != null && Objects.equals(now.fileKey(), r.fileKey()) && attributesOrNull(disk, r.from()) == null) {
        disk.move(r.to(), r.from());
      }
    }
    renames.clear();
    // Deepest first, so a folder made inside another is gone before the other is looked at.
    List<Path> folders = madeFolders.stream()
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString)).toList();
    for (Path dir : folders) {
      BasicFileAttributes now = attributesOrNull(disk, dir);
      if (now != null && now.isDirectory() && disk.list(dir).isEmpty()) {
        disk.delete(dir);
      }
    }
    madeFolders.clear();
  }

  private static void loseUnsynced(Disk disk, Path file, Unsynced u) throws IOException {
    BasicFileAttributes now = attributesOrNull(disk, file);
    if (now == null || !now.isRegularFile()) {
      return;
    }
    if (u.created) {
      disk.delete(file);
      return;
    }
    try (DiskFile f = disk.openForWriting(file)) {
      if (f.size() > u.syncedSize) {
        f.truncate(u.syncedSize);
      }
      for (long[] w : u.writes) {
        long end = Math.min(w[0] + w[1], u.syncedSize);
        if (end > w[0]) {
          f.writeFully(ByteBuffer.allocate((int) (end - w[0])), w[0]);
        }
      }
      f.force();
    }
  }

  static BasicFileAttributes attributesOrNull(Disk disk, Path p) throws IOException {
    try {
      return disk.attributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
