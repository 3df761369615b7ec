package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
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
 * <p>Also makes such folders ({@link #makeFor}) and removes them again once they hold nothing
 * but a download's leftovers under a delete ({@link #removeEmptyDeleted}).
 *
 * <p>Threads: {@link #made} and {@link #makeFor} run on any thread (a pull makes its temp
 * file's folders on an I/O thread), the rest on the control thread; the set is concurrent, and
 * the store is thread-safe.
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
      if (store.local(path).isPresent() || !isFolder(path)) {
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

  /**
   * Whether something is at {@code path}; one that cannot be looked at counts as missing, its
   * mark dropped: a folder then taken for a user's own is safer than a removal recorded wrongly.
   */
  private boolean exists(RelativePath path) {
    try {
      return engine.disk.exists(engine.disk.resolve(path));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code path} is a folder on disk; one that cannot be looked at counts as gone. */
  private boolean isFolder(RelativePath path) {
    try {
      return engine.disk.isDirectory(engine.disk.resolve(path));
    } catch (IOException e) {
      return false;
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

  /**
   * If {@code target} is the version of a folder this node made to hold a download and that is
   * gone before that version was recorded here, records the folder's removal. No scan reports it (the index holds
   * nothing there), and it went while the node ran (a mark whose folder is gone is dropped at
   * start, where a crash that lost a folder never synced cannot be told from a user's removal):
   * its user removed the folder they saw, the version it stood for. Made again, it would come
   * back on every device. Returns whether it did. Control thread.
   *
   * @param local this node's record at the path
   * @param onDisk what is at the path
   */
  boolean removedBeforeRecorded(FileRecord target, Optional<LocalEntry> local, Optional<Observed> onDisk) {
    RelativePath path = target.path();
    if (local.isPresent() || onDisk.isPresent() || target.deleted() || target.kind() != FileKind.DIRECTORY
        || !folders.contains(path) || engine.puller.pullingInto(path)) { // (a pull may be making it now)
      return false;
    }
    FileRecord gone = target.toTombstone(engine.changes.nextVersion(Optional.of(target)), engine.device(), engine.nowNanos())
        .withSequence(engine.commits.nextSequence());
    log.debug("{}: the folder made to hold a download was removed before its own version was recorded;"
        + " recording its removal", path);
    engine.commits.stage(LocalEntry.withoutStat(gone), engine.disk.resolve(path).getParent());
    engine.puller.resolved(path);
    remove(path);
    engine.commits.afterLanding(() -> engine.puller.recheckPath(path));
    return true;
  }

  /**
   * Removes the folders above a path that the index holds as deleted and that hold nothing but
   * leftovers of downloads and junk files ({@link FolderRemoval}). Such a folder was made on
   * disk only to hold a child (or its temp file) whose version arrived after the folder's own delete (an older version, from a peer
   * that had not seen the delete yet); left standing once that child is deleted or its download
   * given up, the next full scan would take it for a folder made here and bring the deleted one
   * back on every device. A folder that holds anything else, or a download in progress, stays.
   * Called when a path is deleted or a download of it ends without a file; one index lookup
   * when there is nothing to do.
   */
  void removeEmptyDeleted(Optional<RelativePath> start) {
    for (Optional<RelativePath> p = start; p.isPresent(); p = p.get().parent()) {
      Optional<LocalEntry> entry = engine.commits.local(p.get());
      if (entry.isEmpty() || !entry.get().record().deleted()) {
        return;
      }
      Path dir = engine.disk.resolve(p.get());
      if (engine.puller.pullingInto(p.get())) {
        return; // a download into it is under way: it will call again when done
      }
      try {
        if (!engine.disk.isDirectory(dir)) {
          return;
        }
        FolderRemoval.remove(engine.disk, p.get(), engine.changes.ignores());
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        log.debug("could not remove the empty folder {}, deleted in the index: {}", p.get(), e.toString());
        return;
      }
    }
  }

  /** Makes {@code dir} and any missing folders above it, remembering those it made. Any thread. */
  void makeFor(Path dir) throws IOException {
    if (engine.disk.isDirectory(dir)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && p.startsWith(engine.disk.root()) && !p.equals(engine.disk.root())
        && !engine.disk.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    List<RelativePath> made = new ArrayList<>();
    for (Path p : missing) {
      RelativePath rel = FolderPaths.relative(engine.disk.root(), p);
      if (rel != null) {
        made.add(rel);
      }
    }
    made(made); // remembered before they exist, so a crash cannot leave one unmarked
    try {
      engine.disk.createDirectories(dir);
    } catch (IOException e) {
      unmade(made);
      throw e;
    }
  }

  /**
   * Forgets the marks of those of {@code made} that could not be made: a mark whose folder is
   * missing while the node runs says its user removed it ({@link Applier}).
   */
  private void unmade(List<RelativePath> made) {
    StoreBatch batch = new StoreBatch();
    for (RelativePath path : made) {
      if (!exists(path) && folders.remove(path)) {
        batch.putDownloadFolder(path, false);
      }
    }
    if (!batch.isEmpty()) {
      engine.store.apply(batch);
    }
  }
}
