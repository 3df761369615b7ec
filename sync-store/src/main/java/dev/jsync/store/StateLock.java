package dev.jsync.store;

import dev.jsync.core.PrivateFiles;
import dev.jsync.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a state folder, held from before the store opens until after it closes,
 * so that two processes (or two stores in one JVM) never share an index. It is an OS lock
 * ({@link FileChannel#tryLock()}) on the file {@code lock} in the folder, into which the holder
 * writes its process id; the OS releases it when the process dies, so a crash never leaves a
 * stale lock behind. The file itself stays.
 *
 * <p>Not thread-safe (the store closes it once); does I/O.
 */
final class StateLock implements AutoCloseable {

  /** Name of the lock file in the state folder. */
  static final String FILE_NAME = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code stateDir}.
   *
   * @throws StoreException if another process or another store in this JVM holds it, naming the
   *     holder's process id when known
   */
  static StateLock acquire(Path stateDir) {
    Path file = stateDir.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(file));
    } catch (IOException e) {
      throw new StoreException("cannot open the lock file " + file + " of state folder " + stateDir, e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM, through another channel
      }
      if (lock == null) {
        throw new StoreException("state folder " + stateDir + " is already in use by " + holder(file));
      }
      ByteBuffer pid = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      channel.truncate(0);
      while (pid.hasRemaining()) {
        channel.write(pid, pid.position());
      }
      channel.force(false);
      return new StateLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot lock state folder " + stateDir + " (lock file " + file + ")", e);
    }
  }

  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (pid.isEmpty()) {
        return "another process";
      }
      return Long.parseLong(pid) == ProcessHandle.current().pid()
          ? "process " + pid + " (this one: another store in this JVM has it open)"
          : "process " + pid;
    } catch (IOException | NumberFormatException e) {
      return "another process";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it too.
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing useful to do: the lock goes with the channel or with the process.
    }
  }
}
