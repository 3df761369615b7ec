package dev.jsync.testkit;

import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.disk.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A {@link Disk} that fails the way real disks do, over another disk (usually
 * {@link dev.jsync.core.disk.Disks#system()} on a Jimfs folder): a full disk, I/O errors, refused names, slow fsync,
 * and a crash that loses what was never flushed. Which operation fails is drawn from the
 * {@link RandomGenerator} it is given, so a simulation seeded with one value fails the same
 * operations every time; the rates are {@link DiskFaults}, changeable at any time (the simulator
 * sets them to none when it heals).
 *
 * <h2>What a crash loses</h2>
 *
 * <p>{@link #crash()} is the power going out under the process: every file this disk opened is
 * dead (later calls on it throw), and what was not yet durable is lost ({@link CrashModel}):
 * <ul>
 *   <li>a file made by {@link #createNew} and never {@linkplain DiskFile#force flushed} is gone;</li>
 *   <li>in a file that was flushed before, bytes written since the last flush read as zeros, and
 *       the file is cut back to its flushed length (a journaling file system's usual outcome);</li>
 *   <li>a rename to a new name whose folder was not {@linkplain #syncDirectory synced} since is
 *       undone: the file is back at its old name. (A rename that replaced a file is kept: either
 *       outcome is possible on a real disk, and the kept one is always one of them.)</li>
 *   <li>a folder made by {@link #createDirectory} or {@link #createDirectories} is gone unless its
 *       making was made durable: by a sync of it or of the folder holding it, by a flush of a file
 *       inside it, or by any of that below it; or unless something outlasting the crash is in it.</li>
 * </ul>
 * Links, deletes, permissions and times are kept: their loss is not modelled. Nor is the loss of
 * writes made around this disk (a simulated user's own saves).
 *
 * <p>Thread-safe.
 */
public final class FaultyDisk implements Disk {

  private final Disk disk;
  private final RandomGenerator random;
  private DiskFaults faults;
  /** What is not durable yet. Guarded by {@code this}. */
  private final CrashModel notDurable = new CrashModel();
  /** Counts crashes: a file opened before the last one is dead. Guarded by {@code this}. */
  private int life;
  private long faultsInjected;

  /** A disk over {@code disk} that fails as {@code faults} says, drawing from {@code random}. */
  public FaultyDisk(Disk disk, DiskFaults faults, RandomGenerator random) {
    this.disk = Objects.requireNonNull(disk, "disk");
    this.faults = Objects.requireNonNull(faults, "faults");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Changes the rates from now on. */
  public synchronized void faults(DiskFaults v) {
    this.faults = Objects.requireNonNull(v);
  }

  public synchronized DiskFaults faults() {
    return faults;
  }

  /** How many operations this disk has failed on purpose so far. */
  public synchronized long faultsInjected() {
    return faultsInjected;
  }

  /**
   * The power goes out: loses what was not durable (see the class comment) and kills every file
   * opened so far. The caller makes sure no thread of the crashed process still uses this disk.
   */
  public synchronized void crash() throws IOException {
    life++;
    notDurable.crash(disk);
  }

  // ------------------------------------------------------------------ fault injection

  private synchronized void maybeFull(Path p) throws IOException {
    if (faults.fullDisk() > 0 && random.nextDouble() < faults.fullDisk()) {
      faultsInjected++;
      throw new FileSystemException(String.valueOf(p), null, "No space left on device");
    }
  }

  private synchronized void maybeIoError(Path p) throws IOException {
    if (faults.ioError() > 0 && random.nextDouble() < faults.ioError()) {
      faultsInjected++;
      throw new FileSystemException(String.valueOf(p), null, "Input/output error");
    }
  }

  private synchronized void maybeFolderSyncError(Path p) throws IOException {
    if (faults.folderSyncError() > 0 && random.nextDouble() < faults.folderSyncError()) {
      faultsInjected++;
      throw new FileSystemException(String.valueOf(p), null, "Input/output error");
    }
  }

  private synchronized void maybeDenied(Path p) throws IOException {
    if (faults.accessDenied() > 0 && random.nextDouble() < faults.accessDenied()) {
      faultsInjected++;
      throw new AccessDeniedException(String.valueOf(p), null, "Permission denied");
    }
  }

  private void slowSync() throws IOException {
    Duration d;
    synchronized (this) {
      d = faults.slowSync();
    }
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted during fsync");
      }
    }
  }

  // ------------------------------------------------------------------ the Disk

  @Override
  public <A extends BasicFileAttributes> A attributes(Path file, Class<A> type) throws IOException {
    return disk.attributes(file, type);
  }

  @Override
  public String storeType(Path dir) throws IOException {
    return disk.storeType(dir);
  }

  @Override
  public Path readLink(Path link) throws IOException {
    return disk.readLink(link);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    maybeIoError(dir);
    return disk.list(dir);
  }

  @Override
  public DiskFile openForReading(Path root, RelativePath path) throws IOException {
    maybeDenied(root.resolve(path.toString()));
    return wrap(root.resolve(path.toString()), disk.openForReading(root, path));
  }

  @Override
  public DiskFile openForHashing(Path file) throws IOException {
    maybeDenied(file);
    return wrap(file, disk.openForHashing(file));
  }

  @Override
  public DiskFile createNew(Path file) throws IOException {
    maybeDenied(file);
    maybeFull(file);
    DiskFile f = disk.createNew(file);
    synchronized (this) {
      notDurable.created(file);
    }
    return wrap(file, f);
  }

  @Override
  public DiskFile openForWriting(Path file) throws IOException {
    maybeDenied(file);
    return wrap(file, disk.openForWriting(file));
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    maybeDenied(to);
    boolean replaces = CrashModel.attributesOrNull(disk, to) != null;
    disk.move(from, to);
    BasicFileAttributes moved = CrashModel.attributesOrNull(disk, to);
    synchronized (this) {
      notDurable.moved(from, to, replaces, moved == null ? null : moved.fileKey());
    }
  }

  @Override
  public void delete(Path file) throws IOException {
    maybeDenied(file);
    disk.delete(file);
    forget(file);
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    maybeDenied(file);
    boolean deleted = disk.deleteIfExists(file);
    forget(file);
    return deleted;
  }

  private synchronized void forget(Path file) {
    notDurable.deleted(file);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    maybeDenied(dir);
    maybeFull(dir);
    disk.createDirectory(dir);
    synchronized (this) {
      notDurable.folderMade(dir);
    }
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    maybeFull(dir);
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && CrashModel.attributesOrNull(disk, p) == null; p = p.getParent()) {
      missing.add(p);
    }
    disk.createDirectories(dir);
    synchronized (this) {
      missing.forEach(notDurable::folderMade);
    }
  }

  @Override
  public void createLink(Path link, Path target) throws IOException {
    maybeFull(link);
    disk.createLink(link, target);
  }

  @Override
  public void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
    maybeDenied(file);
    disk.setPermissions(file, permissions);
  }

  @Override
  public void setModifiedTime(Path file, FileTime time) throws IOException {
    maybeDenied(file);
    disk.setModifiedTime(file, time);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    slowSync();
    maybeFolderSyncError(dir);
    disk.syncDirectory(dir);
    synchronized (this) {
      notDurable.folderSynced(dir);
    }
  }

  private synchronized DiskFile wrap(Path file, DiskFile f) {
    return new FaultyFile(file, f, life);
  }

  /** A file opened through this disk: fails as the disk's rates say, and records what a crash loses. */
  private final class FaultyFile implements DiskFile {
    private final Path file;
    private final DiskFile f;
    private final int openedIn;

    FaultyFile(Path file, DiskFile f, int openedIn) {
      this.file = file;
      this.f = f;
      this.openedIn = openedIn;
    }

    private void checkAlive() throws IOException {
      synchronized (FaultyDisk.this) {
        if (life != openedIn) {
          throw new IOException(file + " was opened before a crash");
        }
      }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      checkAlive();
      maybeIoError(file);
      return f.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      checkAlive();
      maybeIoError(file);
      maybeFull(file);
      long sizeBefore = f.size();
      int n = f.write(src, position);
      synchronized (FaultyDisk.this) {
        notDurable.wrote(file, sizeBefore, position, n);
      }
      return n;
    }

    @Override
    public long size() throws IOException {
      checkAlive();
      return f.size();
    }

    @Override
    public void truncate(long size) throws IOException {
      checkAlive();
      f.truncate(size);
    }

    @Override
    public void force() throws IOException {
      checkAlive();
      slowSync();
      maybeIoError(file);
      maybeFull(file);
      f.force();
      synchronized (FaultyDisk.this) {
        notDurable.flushed(file);
      }
    }

    @Override
    public void close() throws IOException {
      f.close();
    }
  }
}
