package dev.jsync.core.internal;

import dev.jsync.core.ConflictCopies;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.store.LocalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, before the first scan: pulled files whose rename into place a crash undid while
 * something else is at their path. A failed commit's pulled file is read back from the store
 * ({@link UnrecordedChanges}); a crash that undid its rename put it back under its temp name
 * ({@link FileAssembly#tempName}), together with anything the user wrote into it before the
 * crash (the same file). Where the path is empty, {@link VanishedChanges} puts it back there. But
 * the crash may have undone more than that rename: the move of the version it replaced to a
 * conflict copy, made just before in the same commit, is undone too and leaves that version at
 * the path (so may a rename over a file, on a real disk). A temp file that holds exactly the
 * pulled version is left to the puller, which fetches the version again (resuming from it). One
 * that holds anything else holds a user's write, made over the pulled version, which no download
 * may overwrite:
 * <ul>
 *   <li>where the path holds what the index says, the version the commit was based on, the commit
 *       is carried out again: that version goes back to the conflict copy the commit meant, if it
 *       meant one with its content, the temp file to the path, and the first scan records the
 *       pulled version and the user's write as a change on top of it, as without the crash;</li>
 *   <li>where it holds anything else (a user saved there while the node was down), the temp file
 *       is moved to a conflict copy of the path, which the first scan records as a file of this
 *       device's, and the failed commit's change is forgotten: what the path holds was made over
 *       what the crash left there, not over the pulled file.</li>
 * </ul>
 *
 * <p>Control thread; reads each such temp file once.
 */
final class CrashedPulls {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private CrashedPulls() {}

  /** Keeps the users' writes that a crash took back to pulls' temp files. */
  static void keepUsersWrites(Engine engine) {
    List<UnrecordedChanges.Meant> restored = engine.commits.unrecorded.restored();
    for (UnrecordedChanges.Meant m : restored) {
      FileRecord meant = m.record();
      if (!m.kept() || meant.kind() != FileKind.FILE || meant.deleted()) {
        continue; // not a pulled file
      }
      Path temp = engine.commits.unrecorded.tempOf(meant);
      try {
        Optional<Observed> onDisk = engine.disk.observe(meant.path());
        if (onDisk.isEmpty() || !engine.disk.exists(temp) || holdsExactly(engine, temp, meant)) {
          continue;
        }
        Optional<LocalEntry> base = engine.commits.local(meant.path());
        boolean undone = base.isPresent() && base.get().record().kind() == FileKind.FILE && !base.get().record().deleted()
            && Scanner.unchanged(base.get(), onDisk.get());
        if (!(undone && redo(engine, meant, base.get(), temp, restored))) {
          keepAsCopy(engine, meant, temp);
        }
      } catch (IOException | UncheckedIOException e) {
        engine.reporter.report(Optional.of(meant.path()), "cannot keep what a crash took back to "
            + temp.getFileName() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Carries out again the commit of {@code meant} over {@code base}, which the crash undid, with
   * the user's write in {@code temp} ({@code restored}: every change read back); false if the
   * commit was not based on {@code base} or the conflict copy it meant is taken now.
   */
  private static boolean redo(Engine engine, FileRecord meant, LocalEntry base, Path temp,
      List<UnrecordedChanges.Meant> restored) throws IOException {
    RelativePath path = meant.path();
    if (!(engine.commits.unrecorded.claim(path, Optional.of(base), false) instanceof UnrecordedChanges.Claim.Wait)) {
      return false; // not read back, or the index moved on since
    }
    FileRecord loser = base.record();
    // The commit moved the version it replaced to a conflict copy if it meant one with its content.
    Optional<RelativePath> copy = restored.stream().map(UnrecordedChanges.Meant::record)
        .filter(c -> c.sameContent(loser) && ConflictCopies.isConflictCopy(c.path())
            && c.path().parent().equals(path.parent()))
        .map(FileRecord::path).sorted().findFirst();
    if (copy.isPresent() && !free(engine, copy.get())) {
      return false;
    }
    if (copy.isPresent()) {
      engine.disk.moveInto(copy.get(), engine.disk.resolve(path));
    }
    try {
      engine.disk.moveInto(path, temp);
    } catch (IOException e) {
      if (copy.isPresent()) {
        engine.disk.moveInto(path, engine.disk.resolve(copy.get())); // as the crash left it
      }
      throw e;
    }
    engine.commits.unrecorded.putBackAtItsPath(path, Optional.of(base));
    syncFolder(engine, temp.getParent());
    log.debug("{}: a crash undid the commit of a pulled file a user wrote into; carried out again{}", path,
        copy.map(c -> ", our version kept as " + c).orElse(""));
    return true;
  }

  /** Moves {@code temp} to a conflict copy of its path, if one is free. */
  private static void keepAsCopy(Engine engine, FileRecord meant, Path temp) throws IOException {
    FileRecord edit = new FileRecord(meant.path(), meant.kind(), meant.size(), meant.modifiedNanos(), meant.executable(),
        meant.blocks(), meant.contentHash(), meant.symlinkTarget(), meant.version(), engine.device(), false, 0, 0);
    for (RelativePath name : new RelativePath[] {ConflictCopies.pathFor(edit, engine.merges.mergeable()),
        ConflictCopies.alternativePathFor(edit, engine.merges.mergeable())}) {
      if (free(engine, name)) {
        engine.disk.moveInto(name, temp);
        // What the path holds was made over what the crash left there, not over the pulled file.
        engine.commits.unrecorded.forget(meant.path());
        syncFolder(engine, temp.getParent());
        log.debug("{}: a crash took a write into the pulled file back to {}; kept as {}", meant.path(),
            temp.getFileName(), name);
        return;
      }
    }
    log.debug("{}: no free conflict copy name for what a crash took back to {}", meant.path(), temp.getFileName());
  }

  /** Syncs {@code dir}; should that fail, what was moved stands, and the scan records it. */
  private static void syncFolder(Engine engine, Path dir) {
    try {
      engine.disk.fsyncDirectory(dir);
    } catch (UncheckedIOException e) {
      log.debug("could not sync the folder {}: {}", dir, e.toString());
    }
  }

  private static boolean free(Engine engine, RelativePath path) throws IOException {
    return engine.disk.observe(path).isEmpty();
  }

  /** Whether {@code temp} holds {@code meant}'s content; one that cannot be read may not. */
  private static boolean holdsExactly(Engine engine, Path temp, FileRecord meant) {
    try (DiskFile f = engine.disk.disk().openForHashing(temp)) {
      return f.size() == meant.size() && new BlockHasher().hash(f).contentHash().equals(meant.contentHash());
    } catch (IOException e) {
      return false;
    }
  }
}
