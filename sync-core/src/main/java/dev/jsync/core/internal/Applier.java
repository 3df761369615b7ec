package dev.jsync.core.internal;

import dev.jsync.core.ConflictCopies;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.VersionVector;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionKeeper;
import dev.jsync.core.store.LocalEntry;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applying a decided version to the disk and staging its record ({@link GroupCommit#stage}):
 * the final check that the disk still holds what the index says, conflict copies, folders
 * (those needed above a path, those made only to hold a download), deletes, links, and the
 * atomic rename of a pulled file into place. Folders made only to hold a download are
 * {@link DownloadFolders}' job.
 *
 * <p>Threads: the control thread, so the index and the disk change together.
 */
final class Applier {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** A pulled file ready to be renamed into place. */
  record PulledFile(Path temp, FileRecord madeAs, long fetchedBytes, long reusedBytes) {}

  private final Engine engine;
  private final DeviceId self;
  private final DiskView disk;
  private final Clock clock;
  /**
   * Folders this node made on disk only to hold a download (or its temp file), that had no
   * index record here when made. A scan must not take one for a user's new folder (that version
   * would beat a peer's removal of the folder); it becomes the folder's own record when that
   * arrives, and a removal of it deletes it. Forgotten once the path is committed either way;
   * kept in the store across restarts ({@link DownloadFolders}).
   */
  final DownloadFolders madeForDownloads;
  /** Keeps what a peer's change replaces or removes (docs/history.md). */
  volatile VersionKeeper versionKeeper = VersionKeeper.NONE;

  Applier(Engine engine, DeviceId self, DiskView disk, Clock clock) {
    this.engine = engine;
    this.self = self;
    this.disk = disk;
    this.clock = clock;
    this.madeForDownloads = new DownloadFolders(engine);
  }

  /** Applies a folder, link, delete or metadata-only change. */
  void applyInPlace(Decision.Apply apply, DeviceId from) throws IOException {
    apply(apply, from, Optional.empty());
  }

  /** Renames a pulled file into place (giving it the metadata of {@code apply}'s result). */
  void applyPulled(Decision.Apply apply, DeviceId from, PulledFile pulled) throws IOException {
    apply(apply, from, Optional.of(pulled));
  }

  /**
   * Carries out a decision on disk and stages its record, after checking that the disk still
   * holds what the index says.
   */
  private void apply(Decision.Apply apply, DeviceId from, Optional<PulledFile> pulled) throws IOException {
    FileRecord target = engine.puller.recorded(apply);
    RelativePath path = target.path();
    if (!target.deleted() && refused(path, pulled)) {
      return;
    }
    disk.checkNoLinkAbove(path);
    Optional<LocalEntry> local = engine.commits.local(path);
    Path file = disk.resolve(path);
    // Exactly this path: on a folding disk a case variant's file is not this path's to replace or delete.
    Optional<Observed> onDisk = engine.names.observe(path);
    // A folder this node has no record of, made when something inside it arrived first: it is
    // the folder this version describes, not a local change.
    boolean madeForChild = local.isEmpty() && onDisk.isPresent() && onDisk.get().kind() == FileKind.DIRECTORY
        && (!target.deleted() && target.kind() == FileKind.DIRECTORY || target.deleted() && madeForDownloads.contains(path));
    if (madeForChild && target.deleted() && !FolderRemoval.holdsOnlyRemovable(disk, path, engine.changes.ignores())) {
      if (engine.puller.pullingInto(path) || engine.puller.needs().anyBelow(path)) {
        // A peer's change inside it is still to come (a delete of what it holds, backing off after
        // a failure): the removal waits for it, as any folder's removal waits for its contents.
        throw new DirectoryNotEmptyException(file.toString());
      }
      // Something lives in it, with no peer's change of it to come: it is needed, and the scan
      // below records it as this device's folder (a folder needed for a child beats the removal).
      madeForDownloads.remove(path);
      madeForChild = false;
    }
    if (madeForDownloads.removedBeforeRecorded(target, local, onDisk)) {
      return;
    }
    // A failed commit's change gone where the index holds nothing live was removed: no scan
    // reports it (disk and index agree), so a scan's settling (VanishedChanges) records it first.
    if (!madeForChild && (!diskMatchesIndex(local, onDisk) || engine.commits.unrecorded.vanished(path, local, onDisk))) {
      changedMeanwhile(path);
      return;
    }
    try {
      if (apply.conflictCopy().isPresent() && onDisk.isPresent() && pulled.isPresent()) {
        Optional<NoteMerges.Merge> merge = engine.merges.merge(apply, from, local.get().record(), pulled.get().temp());
        if (merge.isPresent()) {
          writeMerged(merge.get(), local.get().record(), from, file, onDisk, pulled.get().temp());
          engine.puller.resolved(path);
          engine.commits.afterLanding(() -> engine.puller.recheckPath(path));
          return;
        }
      }
      if (apply.conflictCopy().isPresent() && onDisk.isPresent()) {
        FileRecord loser = local.get().record();
        ConflictCopies.Placement copy = ConflictCopies.place(apply.conflictCopy().get(), loser,
            engine.merges.mergeable(), c -> slot(c, loser));
        if (copy instanceof ConflictCopies.Placement.AlreadyKept) {
          log.debug("conflict on {}: our version is already kept as {}", path, copy.path());
        } else {
          keepCopy(loser, copy.path(), from, onDisk);
          onDisk = Optional.empty();
        }
      }
      if (target.deleted()) {
        delete(target, from, onDisk);
      } else {
        write(target, from, onDisk, pulled);
      }
    } catch (ChangedMeanwhile e) {
      changedMeanwhile(path);
      return;
    }
    engine.puller.resolved(path);
    engine.names.clear(path); // held here now, or deleted
    madeForDownloads.remove(path); // it has a record of its own now
    engine.commits.afterLanding(() -> {
      if (path.toString().equals(IgnoreRules.FILE_NAME)) {
        engine.changes.reloadIgnores();
      }
      engine.puller.recheckPath(path);
    });
  }

  /**
   * Whether {@code path} cannot be written here (NameGuard): then it is refused and reported, the
   * path already in its way is left alone, and a pulled file's temp file goes.
   */
  private boolean refused(RelativePath path, Optional<PulledFile> pulled) throws IOException {
    Optional<dev.jsync.core.NameProblem> problem = engine.names.problemWith(path);
    if (problem.isEmpty()) {
      return false;
    }
    engine.names.refuse(problem.get());
    engine.puller.resolved(path);
    if (pulled.isPresent()) {
      disk.disk().deleteIfExists(pulled.get().temp());
    }
    return true;
  }

  /**
   * Someone changed the path since the index last looked: record that first. The next decision
   * then sees it, and a concurrent edit becomes a conflict, never a lost write.
   */
  private void changedMeanwhile(RelativePath path) {
    log.debug("{} changed on disk during sync; rescanning before applying the peer's version", path);
    engine.requestScan(List.of(path));
    engine.puller.delay(path);
  }

  /** A save landed at a path between the final check and the step that would replace or remove it. */
  private static final class ChangedMeanwhile extends IOException {
    private static final long serialVersionUID = 1L;

    ChangedMeanwhile(Path file) {
      super(file + " changed on disk during sync");
    }
  }

  /**
   * The last look before what is at {@code file} is replaced or removed, right before the step
   * that does it and after anything slow (keeping the old version, conflict copies, folders):
   * it must still be what the final check saw. What remains is the moment between this look and
   * the rename itself, which no portable file system call closes.
   *
   * @throws ChangedMeanwhile if it is not
   */
  private void lastLook(Path file, Optional<Observed> checked) throws IOException {
    if (!disk.observe(file).equals(checked)) {
      throw new ChangedMeanwhile(file);
    }
  }

  private void delete(FileRecord target, DeviceId from, Optional<Observed> onDisk) throws IOException {
    RelativePath path = target.path();
    Path file = disk.resolve(path);
    keepVersion(path, file, onDisk, Version.Reason.DELETED, from);
    if (onDisk.isPresent()) {
      if (onDisk.get().kind() == FileKind.DIRECTORY) {
        // With a failed download's leftovers and junk files; fails while it holds anything else,
        // retried after its contents go.
        FolderRemoval.remove(disk, path, engine.changes.ignores());
      } else {
        lastLook(file, onDisk);
        disk.delete(path);
      }
    }
    engine.commits.stage(LocalEntry.withoutStat(target.withSequence(engine.commits.nextSequence())), file.getParent());
    madeForDownloads.removeEmptyDeleted(path.parent());
    if (onDisk.isPresent()) {
      engine.commits.afterLanding(() -> engine.reporter.emit(new SyncEvent.FileDeleted(path, from)));
    }
  }

  private void write(FileRecord target, DeviceId from, Optional<Observed> onDisk, Optional<PulledFile> pulled)
      throws IOException {
    RelativePath path = target.path();
    Path file = disk.resolve(path);
    if (target.kind() != FileKind.FILE || pulled.isPresent()) { // not for a change of metadata only
      keepVersion(path, file, onDisk, Version.Reason.REPLACED, from);
    }
    madeForDownloads.makeFor(file.getParent());
    Observed written = null; // the pulled file as it was just before the rename
    switch (target.kind()) {
      case DIRECTORY -> {
        if (onDisk.isPresent() && onDisk.get().kind() != FileKind.DIRECTORY) {
          lastLook(file, onDisk);
          disk.delete(path);
        }
        disk.createDirectories(file);
      }
      case SYMLINK -> {
        if (onDisk.isPresent()) {
          lastLook(file, onDisk);
          disk.delete(path);
        }
        disk.createLink(file, target.symlinkTarget());
      }
      case FILE -> {
        if (pulled.isPresent()) {
          Path temp = pulled.get().temp();
          if (onDisk.isPresent() && onDisk.get().kind() == FileKind.DIRECTORY) {
            disk.delete(path); // empty, or this fails: a folder's contents are never replaced by a file
            onDisk = Optional.empty();
          }
          // The target may have been chosen afresh since the temp file was finished: the same
          // content, but perhaps another time or executable bit.
          if (pulled.get().madeAs().executable() != target.executable()) {
            disk.setExecutable(temp, target.executable());
          }
          if (pulled.get().madeAs().modifiedNanos() != target.modifiedNanos()) {
            disk.setModified(temp, target.modifiedNanos());
          }
          written = disk.observe(temp).orElseThrow(() -> new NoSuchFileException(temp.toString()));
          lastLook(file, onDisk);
          disk.moveInto(path, temp);
        } else {
          // Same content already here: only the metadata changes. The time first: should the
          // bit then be refused, a time alone is no version, and the next scan records none.
          disk.setModified(file, target.modifiedNanos());
          disk.setExecutable(file, target.executable());
        }
      }
    }
    Observed now = disk.observe(file).orElseThrow(() -> new NoSuchFileException(file.toString()));
    FileRecord applied = target.withSequence(engine.commits.nextSequence());
    if (target.kind() == FileKind.FILE && !WrittenStat.holdsWhatWasWritten(now, written, onDisk, target)) {
      // A save landed right after the rename (or the metadata change): the stat on disk is the
      // save's, not the version's. Recorded without a stat, the path is read again by the scan
      // asked for here, and the save becomes a version of its own instead of passing for this one.
      log.debug("{} changed on disk right after it was written; rescanning it", path);
      engine.commits.stage(LocalEntry.withoutStat(applied), file.getParent(), CrashTrace.of(target, pulled.isPresent()));
      engine.commits.afterLanding(() -> engine.requestScan(List.of(path)));
    } else {
      engine.commits.stage(LocalEntry.of(applied, now.stat()), file.getParent(), CrashTrace.of(target, pulled.isPresent()));
    }
    long fetched = pulled.map(PulledFile::fetchedBytes).orElse(0L);
    long reused = pulled.map(PulledFile::reusedBytes).orElse(0L);
    engine.commits.afterLanding(() -> engine.reporter.emit(new SyncEvent.FileUpdated(path, from, fetched, reused)));
  }

  /**
   * Puts a merge of our version and a peer's in place of ours: our version is kept in the
   * version history first (it is in the merge, but a merge is a change this device makes on a
   * peer's behalf), the merged bytes go into the pulled file's temp file, flushed, and that is
   * renamed over ours; the merged version is staged as this device's own.
   */
  private void writeMerged(NoteMerges.Merge merge, FileRecord ours, DeviceId from, Path file, Optional<Observed> onDisk,
      Path temp)
      throws IOException {
    FileRecord target = merge.record();
    RelativePath path = target.path();
    lastLook(file, onDisk); // before the temp file's pulled bytes are replaced by the merge
    keepVersion(path, file, onDisk, Version.Reason.REPLACED, from);
    try (dev.jsync.core.disk.DiskFile out = disk.disk().openForWriting(temp)) {
      out.truncate(0);
      out.writeFully(java.nio.ByteBuffer.wrap(merge.bytes()), 0);
      out.force();
    }
    disk.setExecutable(temp, target.executable());
    disk.setModified(temp, target.modifiedNanos());
    disk.moveInto(path, temp);
    Observed now = disk.observe(file).orElseThrow(() -> new NoSuchFileException(file.toString()));
    engine.commits.stage(LocalEntry.of(target.withSequence(engine.commits.nextSequence()), now.stat()), file.getParent());
    madeForDownloads.remove(path);
    DeviceId theirs = merge.theirs().modifiedBy();
    // Users read the line an embedder words from the FileMerged event (the CLI's EventLog).
    log.debug("merged {}: edits from {} and {}", path, engine.merges.nameOf(ours.modifiedBy()), engine.merges.nameOf(theirs));
    engine.merges.count();
    engine.commits.afterLanding(() -> engine.reporter.emit(new SyncEvent.FileMerged(path, ours.modifiedBy(), theirs, from)));
  }

  /**
   * Moves the losing local version to its conflict copy's name and stages the copy's record.
   * {@code checked} is what the final check found at the loser's path: the move happens only if
   * that is still there, so a save made meanwhile is never filed under the loser's record.
   */
  private void keepCopy(FileRecord loser, RelativePath copy, DeviceId winner, Optional<Observed> checked)
      throws IOException {
    Path copyFile = disk.resolve(copy);
    if (disk.exists(copyFile)) {
      throw new IOException("conflict copy " + copy + " already exists; not overwriting it");
    }
    keepVersion(loser.path(), disk.resolve(loser.path()), disk.observe(loser.path()), Version.Reason.CONFLICT, winner);
    lastLook(disk.resolve(loser.path()), checked);
    disk.moveInto(copy, disk.resolve(loser.path()));
    FileRecord copyRecord = new FileRecord(copy, loser.kind(), loser.size(), loser.modifiedNanos(),
        loser.executable(), loser.blocks(), loser.contentHash(), loser.symlinkTarget(),
        VersionVector.empty().increment(self, clock.instant().getEpochSecond()), self, false, 0,
        engine.commits.nextSequence());
    engine.commits.stage(LocalEntry.of(copyRecord, disk.observe(copyFile).orElseThrow().stat()), copyFile.getParent());
    engine.commits.afterLanding(() -> engine.reporter.emit(new SyncEvent.ConflictCopyCreated(loser.path(), copy, winner)));
    log.debug("conflict on {}: kept our version as {}", loser.path(), copy);
  }

  /**
   * Makes every folder above {@code path} a folder ({@link Reconciler#folderReplacing}): a live
   * file in the way is kept as a conflict copy, and the folder staged as our own new version.
   */
  void makeFoldersAbove(RelativePath path, DeviceId from) throws IOException {
    for (RelativePath above : path.ancestors()) {
      Optional<LocalEntry> local = engine.commits.local(above);
      Optional<FileRecord> folder = Reconciler.folderReplacing(local.map(LocalEntry::record), self,
          engine.nowNanos(), clock.instant().getEpochSecond());
      if (folder.isEmpty()) {
        continue;
      }
      Optional<Observed> onDisk = disk.observe(above);
      if (!diskMatchesIndex(local, onDisk)) {
        engine.requestScan(List.of(above));
        throw new IOException(above + " changed on disk; rescanning it first");
      }
      FileRecord loser = local.get().record();
      ConflictCopies.Placement copy = ConflictCopies.place(ConflictCopies.pathFor(loser, engine.merges.mergeable()), loser,
          engine.merges.mergeable(), c -> slot(c, loser));
      try {
        if (copy instanceof ConflictCopies.Placement.AlreadyKept) {
          lastLook(disk.resolve(above), onDisk);
          disk.delete(above);
        } else {
          keepCopy(loser, copy.path(), from, onDisk);
        }
      } catch (ChangedMeanwhile e) {
        engine.requestScan(List.of(above));
        throw e;
      }
      disk.createDirectory(disk.resolve(above));
      engine.commits.stage(LocalEntry.of(folder.get().withSequence(engine.commits.nextSequence()),
          disk.observe(above).orElseThrow().stat()), disk.resolve(above).getParent());
    }
  }

  /** What the name {@code copy} holds here, for keeping {@code loser} there. */
  private ConflictCopies.Slot slot(RelativePath copy, FileRecord loser) throws IOException {
    if (alreadyKept(copy, loser)) {
      return ConflictCopies.Slot.HOLDS_LOSER;
    }
    return disk.exists(disk.resolve(copy)) ? ConflictCopies.Slot.TAKEN : ConflictCopies.Slot.FREE;
  }

  /** Hands a file about to be replaced or removed by {@code by}'s change to the version keeper. */
  private void keepVersion(RelativePath path, Path file, Optional<Observed> onDisk, Version.Reason reason,
      DeviceId by) throws IOException {
    if (onDisk.isPresent() && onDisk.get().kind() == FileKind.FILE) {
      String name = engine.peers.name(by);
      versionKeeper.keep(path, file, reason, name.isEmpty() ? by.shortId() : name);
    }
  }

  /** Whether {@code copy} holds {@code loser}'s content already, by the index and on disk. */
  private boolean alreadyKept(RelativePath copy, FileRecord loser) throws IOException {
    Optional<LocalEntry> entry = engine.commits.local(copy);
    Optional<Observed> onDisk = disk.observe(copy);
    return entry.isPresent() && !entry.get().record().deleted() && entry.get().record().sameContent(loser)
        && onDisk.isPresent() && Scanner.unchanged(entry.get(), onDisk.get());
  }

  private static boolean diskMatchesIndex(Optional<LocalEntry> local, Optional<Observed> onDisk) {
    if (local.isEmpty() || local.get().record().deleted()) {
      return onDisk.isEmpty();
    }
    return onDisk.isPresent() && Scanner.unchanged(local.get(), onDisk.get());
  }
}
