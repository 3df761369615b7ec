package dev.jsync.core;

import dev.jsync.core.internal.ReservedNames;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FolderWatcher} on the JDK {@link WatchService}, recursive: one registration per
 * folder, added as folders appear. Skips jSync's state folder. It runs one thread, made by the
 * factory it is given, that blocks waiting for events (no polling, so an idle node stays idle).
 * {@link SyncNode.Builder#build()} uses one when {@link SyncOptions#watch()} is on and no other
 * watcher was given.
 *
 * <p>Thread-safe.
 */
public final class JdkFolderWatcher implements FolderWatcher {

  private static final Logger log = LoggerFactory.getLogger(JdkFolderWatcher.class);

  private final ThreadFactory threads;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private volatile WatchService service;
  private volatile boolean closed;
  private Path root;

  /** A watcher whose event thread {@code threads} makes. */
  public JdkFolderWatcher(ThreadFactory threads) {
    this.threads = threads;
  }

  @Override
  public void start(Path root, Listener listener) throws IOException {
    this.root = root;
    this.service = root.getFileSystem().newWatchService();
    registerTree(root, listener);
    Thread t = threads.newThread(() -> loop(listener));
    t.setName("jsync-watcher");
    t.setDaemon(true);
    t.start();
  }

  private void registerTree(Path dir, Listener listener) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          // The state folder, under whatever name a case-insensitive disk lists it.
          if (root.equals(d.getParent()) && ReservedNames.isStateDir(d.getFileName().toString())) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          keys.put(d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
              StandardWatchEventKinds.ENTRY_MODIFY), d);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      log.warn("cannot watch {}: {}; the periodic scan will still find its changes", dir, e.getMessage());
      listener.overflow();
    }
  }

  private void loop(Listener listener) {
    while (!closed) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      Path dir = keys.get(key);
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
          listener.overflow();
          continue;
        }
        if (dir == null) {
          continue;
        }
        Path child = dir.resolve((Path) event.context());
        if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
          // A folder created (or moved in) now may already hold files: watch it, then report it
          // so its contents get scanned.
          registerTree(child, listener);
        }
        listener.changed(child);
      }
      if (!key.reset()) {
        keys.remove(key);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    WatchService s = service;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        log.debug("closing the watch service", e);
      }
    }
  }
}
