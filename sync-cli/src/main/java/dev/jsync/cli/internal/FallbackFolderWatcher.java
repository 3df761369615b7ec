package dev.jsync.cli.internal;

import dev.jsync.core.FolderWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FolderWatcher} that starts a preferred watcher and, when that cannot start, logs one
 * warning saying why and what it costs, and starts a fallback instead. "Cannot start" is any
 * {@link IOException}, {@link RuntimeException} or {@link LinkageError} from making or starting
 * it: a native library that does not load (JNA has none for the machine, the OS lacks the API),
 * classes the jar does not carry, a service that refuses. A node never fails to start for want
 * of its preferred watcher; the fallback's own failure is the node's, as without this class.
 *
 * <p>Used with the control thread's calls of {@link #start} and {@link #close}, as the engine
 * makes them.
 */
final class FallbackFolderWatcher implements FolderWatcher {

  private static final Logger log = LoggerFactory.getLogger(FallbackFolderWatcher.class);

  private final String preferredName;
  private final Supplier<FolderWatcher> preferred;
  private final Supplier<FolderWatcher> fallback;
  private final String fallbackMeans;
  private volatile FolderWatcher active;

  /**
   * @param preferredName the preferred watcher, for the warning ("the FSEvents watcher")
   * @param fallbackMeans what the fallback is and costs, for the warning
   */
  FallbackFolderWatcher(String preferredName, Supplier<FolderWatcher> preferred, Supplier<FolderWatcher> fallback,
      String fallbackMeans) {
    this.preferredName = preferredName;
    this.preferred = preferred;
    this.fallback = fallback;
    this.fallbackMeans = fallbackMeans;
  }

  @Override
  public void start(Path root, Listener listener) throws IOException {
    FolderWatcher first = null;
    try {
      first = preferred.get();
      first.start(root, listener);
      active = first;
      log.debug("watching {} with {}", root, preferredName);
      return;
    } catch (IOException | RuntimeException | LinkageError e) {
      if (first != null) {
        first.close();
      }
      log.warn("{} cannot start ({}): {}", preferredName, reason(e), fallbackMeans);
      log.debug("{} failed to start", preferredName, e);
    }
    FolderWatcher second = fallback.get();
    active = second;
    second.start(root, listener);
  }

  /** The innermost cause: the useful line of an initializer error wrapping a failed native load. */
  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** The watcher running now: the preferred one, the fallback, or null before start. */
  FolderWatcher active() {
    return active;
  }

  @Override
  public void close() {
    FolderWatcher a = active;
    if (a != null) {
      a.close();
    }
  }
}
