package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders this node made on disk only to hold a download (or its temp file) and has no
 * index record of: a scan must not take one for a user's new folder, whose version would beat a
 * peer's removal of it. Kept in the store as well as here, so that a restart does not forget
 * them: the store learns of a folder before it is made, and forgets it once the folder's own
 * record has landed (or, after a crash in between, at the next start, when a folder that has a
 * record or is gone from the disk is dropped).
 *
 * <p>Threads: {@link #made} runs on any thread (a pull makes its temp file's folders on an I/O
 * thread), the rest on the control thread; the set is concurrent, and the store is thread-safe.
 */
final class DownloadFolders {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Engine engine;
  private final Set<RelativePath> folders = ConcurrentHashMap.newKeySet();

  DownloadFolders(Engine engine) {
    this.engine = engine;
  }

  /** Reads the set back from the store, dropping what no longer needs remembering. Control thread, at start-up. */
  void load() {
    IndexStore store = engine.store;
    StoreBatch stale = new StoreBatch();
    for (RelativePath path : store.downloadFolders()) {
      if (store.local(path).isPresent()
          || !Files.isDirectory(engine.disk.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
        stale.putDownloadFolder(path, false);
      } else {
        folders.add(path);
      }
    }
    if (!stale.isEmpty()) {
      store.apply(stale);
    }
    if (!folders.isEmpty()) {
      log.debug("{} folders made to hold downloads have no record of their own yet", folders.size());
    }
  }

  boolean contains(RelativePath folder) {
    return folders.contains(folder);
  }

  /** Records that {@code made} are about to be made to hold a download: in the store first. Any thread. */
  void made(List<RelativePath> made) {
    if (made.isEmpty()) {
      return;
    }
    StoreBatch batch = new StoreBatch();
    made.forEach(path -> batch.putDownloadFolder(path, true));
    engine.store.apply(batch);
    folders.addAll(made);
  }

  /**
   * Forgets {@code folder}: its own record is staged, or it now holds something of its own. The
   * store forgets it once what is staged has landed, so that a crash in between never leaves
   * the folder with neither a record nor its mark. Control thread.
   */
  void remove(RelativePath folder) {
    if (folders.remove(folder)) {
      engine.commits.afterLanding(() -> {
        try {
          engine.store.apply(new StoreBatch().putDownloadFolder(folder, false));
        } catch (RuntimeException e) {
          // Closed meanwhile, or the write failed: the next start drops a mark whose folder has a record.
          log.debug("could not forget the download folder {} in the index: {}", folder, e.toString());
        }
      });
    }
  }
}
