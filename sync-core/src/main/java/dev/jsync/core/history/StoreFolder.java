package dev.jsync.core.history;

import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The version store's folder on disk: where its content, records and half-written files go,
 * and the writers' lock.
 *
 * <pre>
 * versions/
 *   lock                  held (OS file lock) by whoever writes: keeps, sweeps
 *   objects/9f/9f86d0...  content, named by its SHA-256 in hex; one file per distinct content
 *   records/&lt;id&gt;.version one per version (VersionRecords): path, sha256, size, time, reason, by
 *   tmp/                  content and records being written
 * </pre>
 *
 * <p>Thread-safe; {@link #locked} does file I/O and blocks while another writer, in this JVM or
 * another process, holds the lock.
 */
final class StoreFolder {

  private static final String OBJECTS = "objects";
  private static final String RECORDS = "records";
  private static final String TMP = "tmp";
  private static final String LOCK = "lock";
  /** The file name ending of a version record. */
  static final String RECORD_SUFFIX = ".version";
  /**
   * One lock per store folder for the writers of this JVM (an OS file lock is per process),
   * held in the map only while some writer uses it: an entry kept for good would keep its path,
   * and with it the path's file system (an in-memory one in tests), for the life of the JVM.
   */
  private static final Map<Path, JvmLock> JVM_LOCKS = new HashMap<>();

  private static final class JvmLock {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by JVM_LOCKS
  }

  private final Path stateDir;
  private final Path dir;

  StoreFolder(Path stateDir, Path dir) {
    this.stateDir = stateDir;
    this.dir = dir;
  }

  /** {@code versions/} itself. */
  Path dir() {
    return dir;
  }

  Path records() {
    return dir.resolve(RECORDS);
  }

  Path objects() {
    return dir.resolve(OBJECTS);
  }

  /** Where a file being written gets its name: inside {@code tmp/}, which the next writer clears. */
  Path tmp(String name) {
    return dir.resolve(TMP).resolve(name);
  }

  /** The file of the content with this SHA-256. */
  Path object(String sha256) {
    return objects().resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  /** The file of the record of the version with this id. */
  Path record(String id) {
    return records().resolve(id + RECORD_SUFFIX);
  }

  @FunctionalInterface
  interface IoBody<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code body} holding this JVM's lock and the OS lock on {@code versions/lock}, after
   * creating the store's folders and clearing {@code tmp/}: whatever is there while the lock is
   * held was left by a writer that died.
   */
  <T> T locked(IoBody<T> body) throws IOException {
    Path key = dir.normalize();
    JvmLock jvm;
    synchronized (JVM_LOCKS) {
      jvm = JVM_LOCKS.computeIfAbsent(key, k -> new JvmLock());
      jvm.users++;
    }
    jvm.lock.lock();
    try {
      boolean created = !Files.isDirectory(dir);
      PrivateFiles.createFolders(dir.resolve(OBJECTS));
      PrivateFiles.createFolders(dir.resolve(RECORDS));
      PrivateFiles.createFolders(dir.resolve(TMP));
      if (created) {
        fsyncDirectory(dir);
        fsyncDirectory(stateDir);
      }
      Path lockFile = dir.resolve(LOCK);
      try (FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(lockFile)); FileLock ignored = ch.lock()) {
        clearTmp();
        return body.run();
      }
    } finally {
      jvm.lock.unlock();
      synchronized (JVM_LOCKS) {
        if (--jvm.users == 0) {
          JVM_LOCKS.remove(key);
        }
      }
    }
  }

  /** How many store folders this JVM's writers are using now (tests). */
  static int jvmLocksInUse() {
    synchronized (JVM_LOCKS) {
      return JVM_LOCKS.size();
    }
  }

  private void clearTmp() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve(TMP))) {
      for (Path p : entries) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Renames {@code from} to {@code to} atomically, replacing what is there. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically", e);
    }
  }

  /** Makes the entries of folder {@code d} durable, where the file system lets a folder be opened. */
  static void fsyncDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Folders cannot be opened here (Windows, some virtual file systems): nothing more to do.
    }
  }
}
