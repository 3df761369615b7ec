package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each scan, the failed commits' changes ({@link UnrecordedChanges}) that are gone from a
 * path where the index holds nothing live either. No scan reports such a path (disk and index
 * agree), so they are settled here:
 * <ul>
 *   <li>gone while this node ran: whoever removed the change removed the version the commit
 *       meant, and the removal is recorded as following it;</li>
 *   <li>read back at start-up, a pulled file whose temp file is back under its own name (the
 *       crash undid the rename): the temp file goes back to its path, and the next scan records
 *       what it holds, the version meant or, if a user wrote into the file before the crash
 *       (the same file, so the write went back with the rename), a change on top of it. Dropped
 *       as an abandoned download, the user's write would be lost;</li>
 *   <li>read back at start-up, with a trace a crash would have left and none there
 *       ({@link UnrecordedChanges#removedSince}): the change lasted, and the user removed it
 *       while the node was down; the removal is recorded as following it;</li>
 *   <li>read back at start-up with no trace to go by (a link): dropped. Whether the crash undid
 *       it or a user removed it cannot be told, and a removal recorded on a guess could delete a
 *       peer's version everywhere; the path is pulled again.</li>
 * </ul>
 *
 * <p>Control thread.
 */
final class VanishedChanges {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private VanishedChanges() {}

  /**
   * Settles the vanished changes after a scan; returns how many removals it recorded, changes
   * like any the scan found, which the peers are to be told of.
   */
  static int settle(Engine engine) {
    UnrecordedChanges unrecorded = engine.commits.unrecorded;
    int removals = 0;
    for (UnrecordedChanges.Vanished v : unrecorded.takeVanished(engine.commits::local, engine.names::observe)) {
      FileRecord meant = v.meant();
      if (v.restored() && meant.kind() == FileKind.FILE && tempBack(engine, unrecorded.tempOf(meant))) {
        restoreTemp(engine, v);
      } else if (!v.restored() || unrecorded.removedSince(v)) {
        recordRemoval(engine, meant);
        removals++;
      } else {
        log.debug("{}: a change whose recording failed before the last stop is gone, and nothing tells whether"
            + " the crash undid it; it is not taken for a removal", meant.path());
      }
    }
    return removals;
  }

  /** Whether a regular file is at {@code temp}; one that cannot be looked at counts as there. */
  private static boolean tempBack(Engine engine, Path temp) {
    try {
      BasicFileAttributes attrs = engine.disk.attributes(temp);
      return attrs != null && attrs.isRegularFile();
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Renames the temp file of {@code v} back to its path and syncs the folder, then has the path
   * scanned. The change is no longer one read back: the path holds it, or a change made on it.
   */
  private static void restoreTemp(Engine engine, UnrecordedChanges.Vanished v) {
    RelativePath path = v.meant().path();
    Path temp = engine.commits.unrecorded.tempOf(v.meant());
    try {
      engine.disk.checkNoLinkAbove(path);
      engine.disk.moveInto(path, temp);
    } catch (IOException | RuntimeException e) {
      engine.reporter.report(Optional.of(path), "cannot put back what a crash took from it (at "
          + temp.getFileName() + "): " + e.getMessage(), e);
      return;
    }
    engine.commits.unrecorded.restoredAtItsPath(v);
    try {
      engine.disk.fsyncDirectory(engine.disk.resolve(path).getParent());
    } catch (UncheckedIOException e) {
      // The rename back stands; the scan records what it holds. A second crash could undo it.
      log.debug("could not sync the folder of {}: {}", path, e.toString());
    }
    log.debug("{}: a crash undid the rename of a pulled file; its temp file is back at its path", path);
    engine.changes.requestScan(List.of(path));
  }

  /** Records the removal of {@code meant}, as following it. */
  private static void recordRemoval(Engine engine, FileRecord meant) {
    FileRecord gone = meant.toTombstone(engine.changes.nextVersion(Optional.of(meant)), engine.device(),
        engine.nowNanos()).withSequence(engine.commits.nextSequence());
    engine.commits.write(new StoreBatch().putLocal(LocalEntry.withoutStat(gone)));
    log.debug("{}: removed since a failed commit put it there; recording its removal", meant.path());
    engine.puller.recheckPath(meant.path());
  }
}
