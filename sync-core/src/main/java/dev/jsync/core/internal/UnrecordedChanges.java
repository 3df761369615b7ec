package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes this node carried out on disk whose commit then failed (the folder sync that makes a
 * rename durable, or the store write): the disk holds the applied version, the index still holds
 * what was there before. The next scan finds the path changed. Taken for an edit of this
 * device's, it would get a new version of this device's, concurrent with the peer's and with
 * everything that followed it elsewhere, so its content could win again after other devices had
 * replaced it. So a scan of such a path, on the index entry that commit was based on, takes the
 * version the commit meant to record for what the index holds: it records that version again
 * (through a commit of its own, which syncs the folder first), and if it found something else
 * there, records that next as a change on top of it, which is what it is (whoever changed the
 * path saw that version there). A peer's version is not adopted over such a change (the index's
 * content is not on disk): the change is recorded first ({@link #claim}), and the peer's version
 * then meets it by the rule.
 *
 * <p>Kept in the store's metadata too ({@link #persist}, after each failure and once the
 * records that replace entries are in the store), so that a crash before the change is recorded
 * does not leave the pulled file to be taken for a local edit at the next start. Entries read
 * back at start-up ({@code restored}) may have been undone by the crash (a rename not yet
 * durable), or removed or replaced by the user while the node was down. The start-up scan
 * records such a version where it finds exactly it. Where it finds anything else, or nothing,
 * what a crash leaves tells whether the change lasted, for changes that leave a trace
 * ({@code kept}, {@link CrashTrace}): a pulled file was renamed from its temp file,
 * flushed before, whose name follows from the version ({@link FileAssembly#tempName}), so an
 * undone rename puts it back under that name ({@link VanishedChanges} restores it); a folder made
 * here was synced itself before its parent's sync failed. Both rest on what journaling file
 * systems (ext4, XFS, Btrfs, APFS, NTFS) do: a file or folder flushed after it was made keeps its
 * name through a power cut. So no temp file back there means the change lasted ({@link #lasted}),
 * and whatever the path holds was made over it since: the user's write, or nothing where they
 * removed it, each following the version. With the temp file back, or without a trace, what the
 * scan found is taken for what it is (made over what the crash left), and an empty path is no
 * removal: one recorded on a guess could delete a peer's version everywhere.
 *
 * <p>One entry per path at most; a path's entry goes when a scan looks at it, when a later commit
 * of the path succeeds, or when it is recorded before an adoption.
 *
 * <p>Control thread.
 */
final class UnrecordedChanges {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** The metadata key the entries are kept under. */
  static final String META_KEY = "unrecorded.changes";

  /**
   * The first int of the entries as kept in the store: {@code [-3][count]}, then per entry
   * {@code [base sequence][kept][record][what it merged]}. Entries kept in the earlier forms read
   * back as no merges: {@code [-2][count]}, then per entry {@code [base sequence][kept][record]};
   * and {@code [count]}, then {@code [base sequence][record]}, read back as not kept, too.
   */
  private static final int FORMAT_WITH_MERGES = -3;

  private static final int FORMAT_WITH_TRACES = -2;

  /**
   * What a failed commit meant to record, the sequence number of the index entry it was based
   * on (0 for none), and whether it was read back at start-up.
   */
  private record Unrecorded(FileRecord meant, long baseSequence, boolean restored, boolean kept) {}

  /** A version a failed commit meant to record, and whether a crash leaves a trace of it ({@code kept}). */
  record Meant(FileRecord record, boolean kept) {}

  /**
   * A failed commit's change at a path where the index holds nothing live and the disk holds
   * nothing now ({@link #takeVanished}).
   */
  record Vanished(FileRecord meant, long baseSequence, boolean restored, boolean kept) {}

  private final DiskView disk;
  private final Map<RelativePath, Unrecorded> byPath = new HashMap<>();
  /**
   * Changes staged while commits back off after a failure ({@link #waiting}): on disk, not yet
   * recorded, and not failed either. Only kept in the store, with the failed ones, and read back
   * as they are: a crash before the retry leaves them as it leaves a failed commit's change.
   */
  private final Map<RelativePath, Unrecorded> waiting = new HashMap<>();
  /** The entries changed since they were last kept in the store. */
  private boolean changed;

  UnrecordedChanges(DiskView disk) {
    this.disk = disk;
  }

  /**
   * {@code applied} is on disk, and its commit failed; the index holds {@code base} at its path.
   * {@code kept}: a crash leaves it, or (a pulled file) its temp file back under its own name.
   */
  void remember(LocalEntry applied, Optional<LocalEntry> base, boolean kept) {
    byPath.put(applied.record().path(), new Unrecorded(applied.record(), sequenceOf(base), false, kept));
    waiting.remove(applied.record().path());
    changed = true;
  }

  /**
   * {@code staged} is on disk and waits for the retry of failed commits, maybe for minutes; the
   * index holds {@code base} at its path. Kept in the store until its commit lands or fails
   * ({@link #forget}, {@link #remember}), so that a crash meanwhile does not leave it unknown: a
   * pulled file's rename undone, its temp file would be swept as an abandoned download, with any
   * write the user made into the file since.
   */
  void waiting(LocalEntry staged, Optional<LocalEntry> base, boolean kept) {
    waiting.put(staged.record().path(), new Unrecorded(staged.record(), sequenceOf(base), false, kept));
    changed = true;
  }

  /**
   * A vanished entry read back at start-up whose temp file was back under its own name and is
   * now at its path again: what it holds is the version meant, or a change made on top of it,
   * which the next scan of the path records as such.
   */
  void restoredAtItsPath(Vanished v) {
    byPath.put(v.meant().path(), new Unrecorded(v.meant(), v.baseSequence(), false, v.kept()));
    changed = true;
  }

  /** A commit of {@code path} succeeded: what an earlier one failed to record is history. */
  void forget(RelativePath path) {
    changed |= byPath.remove(path) != null | waiting.remove(path) != null;
  }

  /** Forgets the failed commit's change at {@code path}; a change staged there since still waits. */
  private void drop(RelativePath path) {
    changed |= byPath.remove(path) != null;
  }

  private static long sequenceOf(Optional<LocalEntry> entry) {
    return entry.map(e -> e.record().sequence()).orElse(0L);
  }

  /**
   * The record a failed commit meant to store at {@code item}'s path, if the index still holds
   * what that commit was based on; forgets the path either way. What the disk holds there now
   * was made on top of that record: it is that record ({@link #holds}), or a change of this
   * device's that follows it. An entry read back at start-up counts only where the scan found
   * exactly it, or where the change lasted through the crash ({@link #lasted}), so that what the
   * scan found (an edit, or nothing) was made over it: otherwise the crash may have undone it.
   */
  Optional<Meant> take(ScanItem item) {
    Unrecorded u = byPath.remove(item.path());
    if (u == null) {
      return Optional.empty();
    }
    changed = true;
    if (u.baseSequence() != sequenceOf(item.base())
        || u.restored() && !holds(item, u.meant()) && !lasted(u)) {
      return Optional.empty();
    }
    return Optional.of(new Meant(u.meant(), u.kept()));
  }

  /**
   * Whether a live change read back at start-up lasted through the crash: it leaves a trace, and
   * (a pulled file) its temp file is not back under its own name. Whatever its path holds now was
   * then made over it: a write of the user's, or nothing where they removed it. A temp file that
   * cannot be looked at counts as back.
   */
  private boolean lasted(Unrecorded u) {
    FileRecord meant = u.meant();
    if (!u.kept() || meant.deleted()) {
      return false;
    }
    try {
      return meant.kind() != FileKind.FILE || disk.attributes(tempOf(meant)) == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Where the temp file a pulled {@code meant} was renamed from is, should the rename be undone. */
  Path tempOf(FileRecord meant) {
    return disk.resolve(meant.path()).resolveSibling(FileAssembly.tempName(meant));
  }

  /** What {@link #claim} found at a path. */
  sealed interface Claim {
    /** No unrecorded change there: the index says what the disk holds. */
    record None() implements Claim {}

    /** An unrecorded change read back at start-up: the start-up scan decides it; wait for it. */
    record Wait() implements Claim {}

    /** The version to record there now, forgotten here, and whether a crash leaves a trace of it. */
    record Record(FileRecord meant, boolean kept) implements Claim {}
  }

  /**
   * Before a version is recorded at {@code path} with nothing done on disk: the unrecorded
   * change there, if the index still holds ({@code current}) what its commit was based on;
   * forgotten here if {@code take} (one read back at start-up stays for the start-up scan).
   */
  Claim claim(RelativePath path, Optional<LocalEntry> current, boolean take) {
    Unrecorded u = byPath.get(path);
    if (u == null) {
      return new Claim.None();
    }
    if (u.baseSequence() != sequenceOf(current)) {
      drop(path); // the index moved on since: what it holds was recorded over it
      return new Claim.None();
    }
    if (u.restored()) {
      return new Claim.Wait();
    }
    if (take) {
      drop(path);
    }
    return new Claim.Record(u.meant(), u.kept());
  }

  /**
   * Whether {@code item} found {@code meant} itself: the same content and executable bit (a
   * time alone is no change), the same kind, or nothing where {@code meant} is a delete.
   */
  static boolean holds(ScanItem item, FileRecord meant) {
    if (item.observed().isEmpty() || meant.deleted()) {
      return item.observed().isEmpty() && meant.deleted();
    }
    Observed o = item.observed().get();
    if (o.kind() != meant.kind()) {
      return false;
    }
    return switch (o.kind()) {
      case DIRECTORY -> true;
      case SYMLINK -> o.symlinkTarget().equals(meant.symlinkTarget());
      case FILE -> item.content().map(c -> c.contentHash().equals(meant.contentHash())).orElse(false)
          && o.executableOr(meant.executable()) == meant.executable();
    };
  }

  /** What is on disk at a path, by exactly its name. */
  interface ExactLookup {
    Optional<Observed> observe(RelativePath path) throws IOException;
  }

  /**
   * The live versions failed commits meant at paths where the index holds nothing live and the
   * disk holds nothing now, forgotten here. Disk and index agree there, so no scan reports the
   * path; yet whoever removed what the commit put there removed that version, and the removal
   * must follow it. For entries read back at start-up, the crash may have undone the change
   * instead: {@link VanishedChanges} tells which by what the crash left. {@code onDisk} looks
   * a path up by exactly its name, as the scanner and the applier's final check do
   * ({@link NameGuard#observe}): on a case-insensitive disk, a user's file under another case
   * of the name is not the change, which is gone.
   */
  List<Vanished> takeVanished(Function<RelativePath, Optional<LocalEntry>> index, ExactLookup onDisk) {
    List<Vanished> vanished = new ArrayList<>();
    for (RelativePath path : List.copyOf(byPath.keySet())) {
      Optional<LocalEntry> current = index.apply(path);
      if (current.isPresent() && !current.get().record().deleted()) {
        continue; // a scan compares a live entry with the disk itself
      }
      try {
        if (onDisk.observe(path).isPresent()) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      Unrecorded u = byPath.get(path);
      drop(path);
      // Unless the index moved on since (what it holds was recorded over it), or nothing was meant.
      if (u.baseSequence() == sequenceOf(current) && !u.meant().deleted()) {
        vanished.add(new Vanished(u.meant(), u.baseSequence(), u.restored(), u.kept()));
      }
    }
    return vanished;
  }

  /**
   * Whether the failed commit's change at {@code path} is gone ({@code onDisk} empty) where the
   * index ({@code current}) still holds what that commit was based on, with nothing live: the
   * state {@link #takeVanished} settles after a scan. No scan reports such a path, so a peer's
   * change applied there first would undo the removal unseen.
   */
  boolean vanished(RelativePath path, Optional<LocalEntry> current, Optional<Observed> onDisk) {
    Unrecorded u = byPath.get(path);
    return u != null && onDisk.isEmpty() && !u.meant().deleted() && u.baseSequence() == sequenceOf(current)
        && current.map(e -> e.record().deleted()).orElse(true);
  }

  /**
   * Whether a vanished entry read back at start-up was removed since it lasted through the crash
   * ({@link #lasted}).
   */
  boolean removedSince(Vanished v) {
    return lasted(new Unrecorded(v.meant(), v.baseSequence(), v.restored(), v.kept()));
  }

  /** What failed commits meant, read back at start-up and not yet met by a scan ({@link CrashedPulls}). */
  List<Meant> restored() {
    return byPath.values().stream().filter(Unrecorded::restored).map(u -> new Meant(u.meant(), u.kept())).toList();
  }

  /**
   * A pulled file read back at start-up whose commit a crash undid is carried out again on disk
   * ({@link CrashedPulls}): the next scan of {@code path} takes it as one that did not fail, if
   * it was based on {@code current}. Returns whether it was.
   */
  boolean putBackAtItsPath(RelativePath path, Optional<LocalEntry> current) {
    Unrecorded u = byPath.get(path);
    if (u == null || !u.restored() || u.baseSequence() != sequenceOf(current)) {
      return false;
    }
    byPath.put(path, new Unrecorded(u.meant(), u.baseSequence(), false, u.kept()));
    changed = true;
    return true;
  }

  /** The start-up scan is done: entries read back that it did not meet were undone by the crash. */
  void dropRestored() {
    changed |= byPath.values().removeIf(Unrecorded::restored);
  }

  boolean isEmpty() {
    return byPath.isEmpty();
  }

  /** Reads the entries kept in the store. At start-up. */
  void load(IndexStore store) {
    Optional<byte[]> bytes = store.metadata(META_KEY);
    if (bytes.isEmpty()) {
      return;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.get()))) {
      int first = in.readInt();
      boolean withMerges = first == FORMAT_WITH_MERGES;
      boolean withTraces = withMerges || first == FORMAT_WITH_TRACES;
      int n = withTraces ? in.readInt() : first;
      for (int i = 0; i < n; i++) {
        long base = in.readLong();
        boolean kept = withTraces && in.readBoolean();
        FileRecord meant = RecordBytes.read(in);
        if (withMerges) {
          meant = RecordBytes.readMergedFrom(in, meant);
        }
        byPath.put(meant.path(), new Unrecorded(meant, base, true, kept));
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not read back the changes whose recording failed before the last stop: {}", e.toString());
    }
    if (!byPath.isEmpty()) {
      log.debug("{} changes whose recording failed before the last stop are looked for", byPath.size());
    }
  }

  /** Keeps the entries in the store, if they changed since they were last kept there. */
  void persist(IndexStore store) {
    if (!changed) {
      return;
    }
    try {
      // A change waiting at a path is newer than a failed one there: it was applied over it.
      Map<RelativePath, Unrecorded> all = new HashMap<>(byPath);
      all.putAll(waiting);
      store.apply(new StoreBatch().putMetadata(META_KEY, all.isEmpty() ? null : encode(all.values())));
      changed = false;
    } catch (IOException | RuntimeException e) {
      log.debug("could not keep the changes whose recording failed in the index: {}", e.toString());
    }
  }

  private static byte[] encode(java.util.Collection<Unrecorded> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT_WITH_MERGES);
      out.writeInt(entries.size());
      for (Unrecorded u : entries) {
        out.writeLong(u.baseSequence());
        out.writeBoolean(u.kept());
        RecordBytes.write(out, u.meant());
        RecordBytes.writeMergedFrom(out, u.meant());
      }
    }
    return bytes.toByteArray();
  }
}
