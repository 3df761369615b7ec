package dev.jsync.cli.internal;

import dev.jsync.core.FolderWatcher;
import dev.jsync.core.RelativePath;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.hashing.FileHasher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import io.methvin.watchservice.MacOSXListeningWatchService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FolderWatcher} on macOS's FSEvents, through {@code io.methvin:directory-watcher}: its
 * {@link MacOSXListeningWatchService} opens one FSEvents stream for the whole tree (through JNA)
 * and reports a save within moments, where the JDK's watch service on macOS polls every folder.
 * {@link Watchers} picks it on macOS, behind a {@link FallbackFolderWatcher} that starts the JDK
 * watcher instead when this one cannot start (no JNA native library for the machine, a jar
 * without these libraries).
 *
 * <p>directory-watcher's content hashing is off (by default it reads every file at start, 12 s
 * for 20,000 files, and again at each event). With no hasher its macOS service asks FSEvents for
 * file-level events and reports each path FSEvents names as changed; a folder it names (created,
 * moved in, or one whose events FSEvents coalesced) is listed and every path below it reported.
 * The engine scans what is reported, so a redundant report costs a stat, never a lost change.
 *
 * <p>Ignored trees: every listing (the one at start, each folder an event names) goes through
 * {@link UnskippedTrees}, which does not enter jSync's state folder ({@code .jsync} at the root,
 * which {@link dev.jsync.core.JdkFolderWatcher} leaves out too) nor the folders the listener says
 * need no watching ({@link Listener#skip}: {@code .git/}). An FSEvents stream covers its whole
 * tree whatever is in it (it costs no watch per folder), so changes inside those folders still
 * arrive; they are dropped here ({@link #report}) and never reach the engine.
 *
 * <p>Lost events: the service queues at most 1024 events between two reads of this watcher's
 * thread and reports an overflow past that; an overflow is passed on as
 * {@link Listener#overflow()}, a full scan.
 *
 * <p>The native path (FSEvents through JNA) has not been run on a real Mac here: the tests drive
 * this class with directory-watcher over the JDK's Linux watch service (the constructor that
 * takes a {@link ServiceFactory}), which exercises the translation, recursion and ignore handling
 * but not FSEvents itself. docs/filesystems.md says what is known.
 *
 * <p>Thread-safe. Runs one thread, made by the factory it is given, that reads events; on macOS
 * the service runs one more (the FSEvents run loop).
 */
final class FsEventsFolderWatcher implements FolderWatcher {

  private static final Logger log = LoggerFactory.getLogger(FsEventsFolderWatcher.class);

  /** Opens the watch service that feeds directory-watcher, listing folders with {@code visitor}. */
  interface ServiceFactory {
    WatchService open(FileTreeVisitor visitor) throws IOException;
  }

  private final ThreadFactory threads;
  private final ServiceFactory services;
  private volatile DirectoryWatcher watcher;
  private volatile boolean closed;
  private Path root;
  private Listener listener;

  /** The macOS watcher: FSEvents, whose events run on a thread {@code threads} makes. */
  static FsEventsFolderWatcher onMacOs(ThreadFactory threads) {
    return new FsEventsFolderWatcher(threads, FsEventsFolderWatcher::fsEvents);
  }

  FsEventsFolderWatcher(ThreadFactory threads, ServiceFactory services) {
    this.threads = threads;
    this.services = services;
  }

  /** directory-watcher's FSEvents service, without content hashing, listing with {@code visitor}. */
  private static WatchService fsEvents(FileTreeVisitor visitor) {
    return new MacOSXListeningWatchService(new MacOSXListeningWatchService.Config() {
      @Override
      public FileHasher fileHasher() {
        return null; // no hashing: file-level events instead
      }

      @Override
      public FileTreeVisitor fileTreeVisitor() {
        return visitor;
      }
    });
  }

  @Override
  public void start(Path root, Listener listener) throws IOException {
    this.root = root;
    this.listener = listener;
    FileTreeVisitor visitor = new UnskippedTrees(root, listener);
    DirectoryWatcher w = DirectoryWatcher.builder()
        .path(root)
        .fileHashing(false)
        .fileTreeVisitor(visitor)
        .watchService(services.open(visitor))
        .listener(new Events())
        .build();
    watcher = w;
    // Registers (and so loads FSEvents through JNA) on this thread: a failure is start()'s.
    CompletableFuture<Void> running = w.watchAsync(task -> {
      Thread t = threads.newThread(task);
      t.setName("jsync-watcher");
      t.setDaemon(true);
      t.start();
    });
    if (running.isCompletedExceptionally()) {
      close();
      throw startFailure(running);
    }
    running.whenComplete((ignored, e) -> {
      if (!closed) {
        log.warn("the FSEvents watcher of {} stopped ({}): changes are found by the periodic scan", root,
            e == null ? "nothing left to watch" : e.toString());
        listener.overflow();
      }
    });
  }

  /** Why {@code failed} (a future completed exceptionally) did not start: rethrown as it was. */
  private static IOException startFailure(CompletableFuture<Void> failed) {
    try {
      failed.join();
      return new IOException("the watcher did not start");
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UncheckedIOException u) {
        return u.getCause();
      }
      if (cause instanceof Error err) {
        throw err;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      return new IOException(cause);
    }
  }

  /**
   * Passes one of directory-watcher's events on: an overflow as {@link Listener#overflow()}; a
   * path under the root, unless inside a folder the listener skips, as {@link Listener#changed}.
   */
  void report(DirectoryChangeEvent event) {
    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
      listener.overflow();
      return;
    }
    Path path = event.path();
    if (path == null || !path.startsWith(root) || inStateFolder(root, path)) {
      return;
    }
    Path parent = path.getParent();
    // skip() answers for a folder and everything below it (the engine's asks the ignore rules
    // about the folder and each of its ancestors), so the parent's answer is the path's.
    if (parent != null && !parent.equals(root) && parent.startsWith(root) && listener.skip(parent)) {
      return;
    }
    listener.changed(path);
  }

  /**
   * Whether {@code path} (under {@code root}) is the state folder or inside it. Compared ignoring
   * case, as macOS disks are case-insensitive by default.
   */
  static boolean inStateFolder(Path root, Path path) {
    Path rel = root.relativize(path);
    return rel.getNameCount() > 0 && !rel.toString().isEmpty()
        && rel.getName(0).toString().equalsIgnoreCase(RelativePath.STATE_DIR_NAME);
  }

  private final class Events implements DirectoryChangeListener {
    @Override
    public void onEvent(DirectoryChangeEvent event) {
      report(event);
    }

    @Override
    public boolean isWatching() {
      return !closed;
    }

    @Override
    public void onException(Exception e) {
      // An event directory-watcher could not handle is lost: a full scan finds what it was.
      log.debug("the FSEvents watcher lost an event", e);
      listener.overflow();
    }
  }

  /**
   * Lists a tree as directory-watcher's default visitor does, without entering the state folder
   * or the folders the listener skips (the root itself is always listed). Failures to read a
   * folder are passed over, as the default visitor does: the periodic scan reports them.
   */
  static final class UnskippedTrees implements FileTreeVisitor {
    private final Path root;
    private final Listener listener;

    UnskippedTrees(Path root, Listener listener) {
      this.root = root;
      this.listener = listener;
    }

    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(root) && (inStateFolder(root, dir) || listener.skip(dir))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          onDirectory.call(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          onFile.call(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    }
  }

  @Override
  public void close() {
    closed = true;
    DirectoryWatcher w = watcher;
    if (w != null) {
      try {
        w.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing the FSEvents watcher", e);
      }
    }
  }
}
