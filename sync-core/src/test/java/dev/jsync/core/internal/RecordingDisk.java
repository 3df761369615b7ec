package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.disk.Disks;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The real disk, with a log of the changes made through it (moves, deletes, folders made and
 * folder syncs, in order) and switches that make folder syncs or setting times fail. For core's unit tests,
 * which cannot use sync-testkit's FaultyDisk.
 */
final class RecordingDisk implements Disk {

  private final Disk real = Disks.system();
  private final List<String> log = new ArrayList<>();
  /** When set, {@link #syncDirectory} throws it (for {@link #syncFailureOnly} alone, if that is set). */
  volatile IOException syncFailure;
  /** When set, the one folder whose sync fails. */
  volatile Path syncFailureOnly;
  /** When set, deleting {@link #deleteFailureOnly} throws it. */
  volatile IOException deleteFailure;
  /** The one file whose delete fails while {@link #deleteFailure} is set. */
  volatile Path deleteFailureOnly;
  /** When set, {@link #createDirectories} throws it, having made nothing (a full disk). */
  volatile IOException mkdirsFailure;
  /** When set, {@link #setModifiedTime} throws it. */
  volatile IOException timesFailure;
  /** When set, runs right after each move, with the move's target (a save landing just then). */
  volatile java.util.function.Consumer<Path> afterMove;
  /**
   * When set, runs right before each rename and delete, with the path it is about to change:
   * what another process does between the engine's last check and the operation.
   */
  volatile java.util.function.Consumer<Path> beforeChange;
  /** When set, runs right before each file is opened for hashing, on the thread that hashes it. */
  volatile java.util.function.Consumer<Path> beforeHashing;

  private void beforeChange(Path p) {
    java.util.function.Consumer<Path> hook = beforeChange;
    if (hook != null) {
      hook.accept(p);
    }
  }

  synchronized List<String> log() {
    return List.copyOf(log);
  }

  synchronized void clear() {
    log.clear();
  }

  private synchronized void note(String op, Path... paths) {
    StringBuilder b = new StringBuilder(op);
    for (Path p : paths) {
      b.append(' ').append(p.getFileName());
    }
    log.add(b.toString());
  }

  @Override
  public <A extends BasicFileAttributes> A attributes(Path file, Class<A> type) throws IOException {
    return real.attributes(file, type);
  }

  @Override
  public String storeType(Path dir) throws IOException {
    return real.storeType(dir);
  }

  @Override
  public Path readLink(Path link) throws IOException {
    return real.readLink(link);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    return real.list(dir);
  }

  @Override
  public DiskFile openForReading(Path root, RelativePath path) throws IOException {
    return real.openForReading(root, path);
  }

  @Override
  public DiskFile openForHashing(Path file) throws IOException {
    java.util.function.Consumer<Path> hook = beforeHashing;
    if (hook != null) {
      hook.accept(file);
    }
    return real.openForHashing(file);
  }

  @Override
  public DiskFile createNew(Path file) throws IOException {
    return real.createNew(file);
  }

  @Override
  public DiskFile openForWriting(Path file) throws IOException {
    return real.openForWriting(file);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    beforeChange(to);
    real.move(from, to);
    note("move", from, to);
    java.util.function.Consumer<Path> hook = afterMove;
    if (hook != null) {
      hook.accept(to);
    }
  }

  private void failDeleteOf(Path file) throws IOException {
    IOException failure = deleteFailure;
    if (failure != null && file.equals(deleteFailureOnly)) {
      throw failure;
    }
  }

  @Override
  public void delete(Path file) throws IOException {
    failDeleteOf(file);
    beforeChange(file);
    real.delete(file);
    note("delete", file);
  }

  /** The system disk's, which works relative to opened folders where it can. */
  @Override
  public void deleteBelow(Path root, RelativePath path) throws IOException {
    Path file = root.resolve(path.toString());
    failDeleteOf(file);
    beforeChange(file);
    real.deleteBelow(root, path);
    note("delete", file);
  }

  /** The system disk's, which works relative to opened folders where it can. */
  @Override
  public void moveNextTo(Path root, RelativePath file, String from) throws IOException {
    Path to = root.resolve(file.toString());
    beforeChange(to);
    real.moveNextTo(root, file, from);
    note("move", to.resolveSibling(from), to);
    java.util.function.Consumer<Path> hook = afterMove;
    if (hook != null) {
      hook.accept(to);
    }
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    boolean deleted = real.deleteIfExists(file);
    if (deleted) {
      note("delete", file);
    }
    return deleted;
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    real.createDirectory(dir);
    note("mkdir", dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    IOException failure = mkdirsFailure;
    if (failure != null) {
      throw failure;
    }
    real.createDirectories(dir);
    note("mkdirs", dir);
  }

  @Override
  public void createLink(Path link, Path target) throws IOException {
    real.createLink(link, target);
    note("link", link);
  }

  @Override
  public void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
    real.setPermissions(file, permissions);
  }

  @Override
  public void setModifiedTime(Path file, FileTime time) throws IOException {
    IOException failure = timesFailure;
    if (failure != null) {
      throw failure;
    }
    real.setModifiedTime(file, time);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    IOException failure = syncFailure;
    Path only = syncFailureOnly;
    if (failure != null && (only == null || only.equals(dir))) {
      throw failure;
    }
    real.syncDirectory(dir);
    note("fsync", dir);
  }
}
