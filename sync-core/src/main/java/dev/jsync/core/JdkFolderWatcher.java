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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FolderWatcher} on the JDK {@link WatchService}, recursive: one registration per
 * folder, added as folders appear. Skips jSync's state folder and the folders the listener
 * says need no watching ({@link Listener#skip}: ignored ones), so that a {@code .git/} or
 * {@code node_modules/} does not use up the system's watches. It runs one thread, made by the
 * factory it is given, that blocks waiting for events (no polling, so an idle node stays idle).
 * {@link SyncNode.Builder#build()} uses one when {@link SyncOptions#watch()} is on and no other
 * watcher was given.
 *
 * <p>On Linux ({@code inotify}) and Windows ({@code ReadDirectoryChangesW}) the JDK's watch
 * service is the system's own and reports a change at once. On macOS the JDK polls instead:
 * there each folder is registered at the poller's highest sensitivity, so a save is seen
 * within about two seconds rather than ten ({@link #registrationFor}). The {@code jsync} command
 * runs this watcher on macOS only when FSEvents cannot start or {@code --watcher jdk} asks for it.
 *
 * <p>On Linux each folder costs one inotify watch, of {@code fs.inotify.max_user_watches} for
 * the user. When they run out, that is logged once, with the command that raises the limit, and
 * each folder that could not be watched is handed to the listener as changed (so that subtree
 * is scanned now; later changes in it are found by the periodic full scan), never the whole
 * folder.
 *
 * <p>Thread-safe.
 */
public final class JdkFolderWatcher implements FolderWatcher {

  private static final Logger log = LoggerFactory.getLogger(JdkFolderWatcher.class);

  /** Registers one folder with a watch service; a test's may fail as a system out of watches does. */
  interface Registrar {
    WatchKey register(Path dir, WatchService service) throws IOException;
  }

  /**
   * How the JDK's watch service is asked to watch one folder on a platform: the three kinds of
   * event, with {@code modifiers}.
   */
  record Registration(List<WatchEvent.Modifier> modifiers) implements Registrar {
    @Override
    public WatchKey register(Path dir, WatchService service) throws IOException {
      return dir.register(service, new WatchEvent.Kind<?>[] {StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY},
          modifiers.toArray(WatchEvent.Modifier[]::new));
    }
  }

  /**
   * The registration for the platform {@code osName} names (as {@code os.name} does). Linux's
   * watch service is inotify and Windows' is {@code ReadDirectoryChangesW}: both report at once,
   * and take no modifier. On macOS the JDK has no native watch service: it polls each folder,
   * every ten seconds by default; there it is asked for its highest sensitivity,
   * {@code com.sun.nio.file.SensitivityWatchEventModifier.HIGH} (a poll every two seconds), looked
   * up by name since it lives in {@code jdk.unsupported}. Without it (a JDK that dropped it), the
   * default poll.
   */
  static Registration registrationFor(String osName) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      return new Registration(List.of());
    }
    return new Registration(highSensitivity().map(List::of).orElse(List.of()));
  }

  /** The JDK's {@code SensitivityWatchEventModifier.HIGH}, if this JDK has it. */
  static Optional<WatchEvent.Modifier> highSensitivity() {
    try {
      Class<?> type = Class.forName("com.sun.nio.file.SensitivityWatchEventModifier");
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals("HIGH") && constant instanceof WatchEvent.Modifier m) {
          return Optional.of(m);
        }
      }
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      log.debug("no SensitivityWatchEventModifier in this JDK: {}", e.toString());
    }
    return Optional.empty();
  }

  private final ThreadFactory threads;
  private final Registrar registrar;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final AtomicBoolean limitReported = new AtomicBoolean();
  private volatile WatchService service;
  private volatile boolean closed;
  private Path root;

  /** A watcher whose event thread {@code threads} makes. */
  public JdkFolderWatcher(ThreadFactory threads) {
    this(threads, registrationFor(System.getProperty("os.name", "")));
  }

  JdkFolderWatcher(ThreadFactory threads, Registrar registrar) {
    this.threads = threads;
    this.registrar = registrar;
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

  /** The folders watched now. */
  java.util.Collection<Path> watched() {
    return java.util.List.copyOf(keys.values());
  }

  private void registerTree(Path dir, Listener listener) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          // The state folder, under whatever name a case-insensitive disk lists it.
          if (root.equals(d.getParent()) && ReservedNames.isStateDir(d.getFileName().toString())
              || !d.equals(root) && listener.skip(d)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          try {
            keys.put(registrar.register(d, service), d);
          } catch (IOException e) {
            if (!isOutOfWatches(e)) {
              throw e;
            }
            outOfWatches(d, listener);
            return FileVisitResult.SKIP_SUBTREE;
          }
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

  /** The JDK's words for inotify's ENOSPC on registration. */
  static boolean isOutOfWatches(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("inotify watches");
  }

  /** {@code dir} could not be watched for want of inotify watches: say so once, scan that subtree. */
  private void outOfWatches(Path dir, Listener listener) {
    if (limitReported.compareAndSet(false, true)) {
      log.warn("the system ran out of inotify watches (one per folder), so {} and some other folders are not watched:"
          + " changes in them are found by the periodic scan instead of at once. To raise the limit: sudo sysctl"
          + " fs.inotify.max_user_watches=524288 (and the same line in /etc/sysctl.d/99-jsync.conf to keep it)", dir);
    } else {
      log.debug("not watched for want of inotify watches: {}", dir);
    }
    listener.changed(dir);
  }

  /** Whether running out of watches was reported (at most once per watcher). */
  boolean outOfWatchesReported() {
    return limitReported.get();
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
