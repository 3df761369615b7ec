package dev.jsync.core;

import java.nio.file.Path;

/**
 * Tells the engine that something under the folder changed. The engine reacts by scanning just
 * those paths after a short quiet window; a missed or overflowing event costs only latency,
 * because the periodic full scan finds everything anyway.
 *
 * <p>{@link JdkFolderWatcher} watches with the JDK's {@code WatchService}, recursively. The
 * {@code jsync} command watches with FSEvents on macOS instead (sync-cli, through
 * directory-watcher and JNA, which sync-core does not depend on). The simulator uses no watcher
 * and scans on demand.
 */
public interface FolderWatcher extends AutoCloseable {

  /** Receives change notifications, from the watcher's own thread. */
  interface Listener {
    /** Something at or below {@code path} (absolute) changed. */
    void changed(Path path);

    /** Events were lost; everything may have changed. */
    void overflow();

    /**
     * Whether the folder {@code dir} (absolute), and everything below it, needs no watching: the
     * ignore rules ignore it ({@code .git/}, {@code node_modules/} when so configured). A watcher
     * that registers folder by folder does not register it. Called on the watcher's thread;
     * none by default.
     */
    default boolean skip(Path dir) {
      return false;
    }
  }

  /** Starts watching {@code root} and everything below it, including folders created later. */
  void start(Path root, Listener listener) throws java.io.IOException;

  /** Stops watching. Idempotent. */
  @Override
  void close();
}
