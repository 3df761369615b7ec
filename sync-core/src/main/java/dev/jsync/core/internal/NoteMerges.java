package dev.jsync.core.internal;

import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.MergeRule;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.VersionVector;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.core.store.IndexStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merging concurrent edits of notes (docs/conflicts.md, "Merging notes"): keeps the content of
 * every version of a mergeable file this device records as a possible merge base
 * ({@link MergeBases}), and, where this device's version would lose a conflict and be kept as a
 * conflict copy, merges the two against their common base ({@link MergeRule}). The
 * {@link Applier} writes the result.
 *
 * <p>Threads: {@link #recorded} and {@link #merge} on the control thread; the content of a
 * recorded version is read and kept on an I/O thread. Merging reads three notes of at most the
 * merge size limit (1 MiB by default) on the control thread, where the final check and rename of
 * every pulled file runs.
 *
 * <p><b>Bounded.</b> What the I/O thread still has to do waits in one queue of at most
 * {@value #MAX_PENDING} steps, worked through by one task at a time, in the order recorded. A scan
 * can record notes faster than their content is kept (a first scan of a large vault): then the
 * thread that queues a step first runs the oldest queued steps itself until there is room, so the
 * recording slows to the pace of the disk instead of the queue growing with the folder, and no
 * version goes without its base. (A version left out would be worse than none kept: the base of
 * a later merge would be the version before it, and the merge could undo an edit the missing
 * version made. So a version whose content is gone before it could be read is marked as
 * skipped, which makes such a merge find no base: {@link MergeBases#skipped}.)
 */
final class NoteMerges {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** A merge ready to be written: the version it makes and its bytes. */
  record Merge(FileRecord record, byte[] bytes, FileRecord theirs) {}

  /**
   * The most steps waiting for the I/O thread: a vault of this many notes is recorded at the
   * scan's pace with its bases kept behind it; a step holds a path, two hashes' worth of version
   * and content hash, and the holders (a few hundred bytes: about 6 MB at the bound).
   */
  static final int MAX_PENDING = 16_384;

  /** How many steps one I/O task works through before it lets other I/O tasks run. */
  private static final int STEPS_PER_TASK = 256;

  /** One step for the I/O thread. */
  private sealed interface Step {}

  /**
   * Keep the content of a recorded version (read from disk), then prune against its holders.
   * The record's fields, not the record: its block list is not needed.
   */
  private record Keep(RelativePath path, VersionVector version, dev.jsync.core.Sha256 contentHash, long size,
      List<VersionVector> holders) implements Step {}

  /** Keep content already read (a peer's version that was merged). */
  private record KeepContent(RelativePath path, VersionVector version, dev.jsync.core.Sha256 hash, byte[] content)
      implements Step {}

  /** Forget the bases of a deleted path. */
  private record Forget(RelativePath path) implements Step {}

  private final Engine engine;
  private final DeviceId self;
  private final DiskView disk;
  private final IndexStore store;
  private final Executor io;
  private final Clock clock;
  private final MergeableFiles mergeable;
  private final String deviceName;
  /** Null: no bases are kept and nothing is merged. */
  volatile MergeBases bases;
  private long merged;

  /** Guarded by itself: the steps waiting, and whether a task works through them. */
  private final ArrayDeque<Step> pending = new ArrayDeque<>();
  private boolean working;
  /** Steps the queueing thread ran itself for want of room (for tests). */
  private long ranInLine;

  NoteMerges(Engine engine, DeviceId self, DiskView disk, IndexStore store, Executor io, Clock clock,
      MergeableFiles mergeable, String deviceName) {
    this.engine = engine;
    this.self = self;
    this.disk = disk;
    this.store = store;
    this.io = io;
    this.clock = clock;
    this.mergeable = mergeable;
    this.deviceName = deviceName;
  }

  /** How many merges this node has made since it started. */
  long merged() {
    return merged;
  }

  /**
   * A local record was written (a scan's new version, a peer's version applied, an adoption):
   * keeps its content as a possible base, and drops bases of the path that no device can still
   * merge against. A delete forgets the path's bases: an edit concurrent with a delete wins
   * without a merge. Control thread.
   */
  void recorded(FileRecord r) {
    MergeBases b = bases;
    if (b == null || (!r.deleted() && (!r.isLiveFile() || !mergeable.accepts(r.path(), r.size())))) {
      return;
    }
    if (r.deleted()) {
      queue(new Forget(r.path()));
      return;
    }
    queue(new Keep(r.path(), r.version(), r.contentHash(), r.size(), holders(r)));
  }

  /** Queues {@code step} for the I/O thread, within {@link #MAX_PENDING} (class comment). */
  private void queue(Step step) {
    while (true) {
      Step oldest;
      synchronized (pending) {
        if (pending.size() < MAX_PENDING) {
          pending.add(step);
          if (working) {
            return;
          }
          working = true;
          break;
        }
        oldest = pending.poll();
        ranInLine++;
      }
      MergeBases b = bases;
      if (b != null) {
        run(b, oldest);
      }
    }
    try {
      io.execute(this::work);
    } catch (RuntimeException e) {
      synchronized (pending) {
        working = false; // the next step queued asks again; meanwhile the queue's bound holds
      }
      if (!engine.closed()) {
        log.debug("could not start keeping merge bases: {}", e.toString());
      }
    }
  }

  /** How many steps the queueing thread ran itself for want of room (for tests). */
  long ranInLine() {
    synchronized (pending) {
      return ranInLine;
    }
  }

  /** How many steps wait for the I/O thread (for tests). */
  int pending() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /**
   * Works through up to {@link #STEPS_PER_TASK} steps, then queues itself again if more wait.
   * However it ends, it leaves {@code working} false or itself queued again. I/O thread.
   */
  private void work() {
    MergeBases b = bases;
    boolean settled = false; // working is false, or this task is queued again
    try {
      for (int i = 0; i < STEPS_PER_TASK; i++) {
        Step step;
        synchronized (pending) {
          step = pending.poll();
          if (step == null) {
            working = false;
            settled = true;
            return;
          }
        }
        if (b != null) {
          run(b, step);
        }
      }
      try {
        io.execute(this::work);
        settled = true;
      } catch (RuntimeException e) {
        log.debug("could not go on keeping merge bases: {}", e.toString());
      }
    } finally {
      if (!settled) {
        synchronized (pending) {
          working = false; // an error, or the executor refused: the next step queued starts a task
        }
      }
    }
  }

  private void run(MergeBases b, Step step) {
    if (step instanceof Keep k) {
      keep(b, k);
    } else if (step instanceof KeepContent k) {
      keepContent(b, k.path(), k.version(), k.hash(), k.content());
    } else if (step instanceof Forget f) {
      forget(b, f.path());
    }
  }

  /**
   * What this device and every other device it knows of hold of {@code r}'s path: the versions
   * {@link MergeBases#prune} may drop bases against, or none (nothing is dropped) if some device
   * holds nothing this device knows of. The devices are every known peer and every device named
   * in the vector of a version held (this one, or a peer's): a device this one never met, whose
   * records reach it only through a relay, may hold an older version and edit it, so it must be
   * known to have moved past too. Read here: the index is the control thread's.
   */
  private List<VersionVector> holders(FileRecord r) {
    List<VersionVector> holders = new ArrayList<>();
    holders.add(r.version());
    Set<DeviceId> asked = new HashSet<>(Set.of(self));
    ArrayDeque<DeviceId> toAsk = new ArrayDeque<>(engine.peers.known());
    toAsk.addAll(r.version().counters().keySet());
    while (!toAsk.isEmpty()) {
      DeviceId device = toAsk.poll();
      if (!asked.add(device)) {
        continue;
      }
      Optional<FileRecord> theirs = store.remote(device, r.path());
      if (theirs.isEmpty()) {
        return List.of();
      }
      holders.add(theirs.get().version());
      toAsk.addAll(theirs.get().version().counters().keySet());
    }
    return holders;
  }

  /**
   * Keeps {@code k}'s content if the file still holds it. A version whose content cannot be kept
   * (changed or gone before it was read, a read error) is marked as skipped, so that no later
   * merge takes an older version for its base (MergeBases#skipped).
   */
  private void keep(MergeBases b, Keep k) {
    boolean kept = false;
    try {
      boolean held = b.holds(k.contentHash());
      byte[] content = held ? null : read(disk.openForReading(k.path()), k.size());
      // The file may have changed since it was recorded: the store checks the content hash.
      kept = (held || content != null) && b.keep(k.path(), k.version(), k.contentHash(), content, k.holders());
    } catch (NoSuchFileException e) {
      log.debug("{} went before its content could be kept as a merge base", k.path());
    } catch (IOException | RuntimeException e) {
      log.debug("could not keep {} as a merge base: {}", k.path(), e.toString());
    }
    if (!kept) {
      try {
        b.skipped(k.path(), k.version());
      } catch (IOException | RuntimeException e) {
        log.debug("could not mark a version of {} as skipped: {}", k.path(), e.toString());
      }
    }
  }

  private static void keepContent(MergeBases b, RelativePath path, VersionVector version,
      dev.jsync.core.Sha256 hash, byte[] content) {
    try {
      if (!b.keep(path, version, hash, content)) {
        b.skipped(path, version);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("could not keep a version of {} as a merge base: {}", path, e.toString());
    }
  }

  private static void forget(MergeBases b, RelativePath path) {
    try {
      b.forget(path);
    } catch (IOException | RuntimeException e) {
      log.debug("could not forget the merge bases of {}: {}", path, e.toString());
    }
  }

  /**
   * Merges {@code local} (on disk at its path) with the peer's version pulled into
   * {@code temp}, if {@code apply} is a conflict a merge may settle ({@link MergeRule#mayMerge}),
   * their common base is kept, and their edits do not overlap. Empty otherwise: the conflict
   * rule applies (a conflict copy). Control thread.
   */
  Optional<Merge> merge(Decision.Apply apply, DeviceId from, FileRecord local, Path temp) {
    MergeBases b = bases;
    if (b == null) {
      return Optional.empty();
    }
    RelativePath path = local.path();
    Optional<FileRecord> theirs = store.remote(from, path)
        .filter(r -> r.isLiveFile() && r.contentHash().equals(apply.result().contentHash()));
    if (theirs.isEmpty() || !MergeRule.mayMerge(apply, local, theirs.get(), mergeable)) {
      return Optional.empty();
    }
    FileRecord remote = theirs.get();
    try {
      Optional<MergeBases.Base> base = b.baseOf(path, local.version(), remote.version());
      Optional<byte[]> baseBytes = base.isPresent() ? b.content(base.get().contentHash()) : Optional.empty();
      if (baseBytes.isEmpty()) {
        return notMerged(path, SyncEvent.NotMerged.Reason.NO_COMMON_VERSION,
            "concurrent edits, but their common version is not kept here");
      }
      byte[] ours = read(disk.openForReading(path), local.size());
      byte[] pulled = read(disk.disk().openForWriting(temp), remote.size());
      if (ours == null || pulled == null || !MergeBases.contentHashOf(ours).equals(local.contentHash())
          || !MergeBases.contentHashOf(pulled).equals(remote.contentHash())) {
        return Optional.empty(); // changed since: the final check or the next pull sees it
      }
      Optional<byte[]> bytes = MergeRule.merge(baseBytes.get(), ours, pulled);
      if (bytes.isEmpty()) {
        return notMerged(path, SyncEvent.NotMerged.Reason.OVERLAPPING_EDITS,
            "concurrent edits of the same lines (or not mergeable text)");
      }
      FileRecord record = MergeRule.merged(local, remote, bytes.get(), self, clock.instant().getEpochSecond());
      // The peer's version is a common version of the next concurrent edit on its side.
      queue(new KeepContent(path, remote.version(), remote.contentHash(), pulled));
      return Optional.of(new Merge(record, bytes.get(), remote));
    } catch (IOException | RuntimeException e) {
      return notMerged(path, SyncEvent.NotMerged.Reason.FAILED, "merging failed: " + e.getMessage());
    }
  }

  /** Reports that {@code path}'s concurrent edits are not merged; the conflict rule applies. */
  private Optional<Merge> notMerged(RelativePath path, SyncEvent.NotMerged.Reason reason, String detail) {
    log.debug("{}: {}: not merged", path, detail);
    engine.reporter.emit(new SyncEvent.NotMerged(path, reason, detail));
    return Optional.empty();
  }

  /** Which files are merged, and whose conflict copies keep their extension. */
  MergeableFiles mergeable() {
    return mergeable;
  }

  /** A device's name for people: this device's own name, a peer's, or the short id. */
  String nameOf(DeviceId device) {
    String name = device.equals(self) ? deviceName : engine.peers.name(device);
    return name.isEmpty() ? device.shortId() : name;
  }

  /**
   * The bytes of {@code in} (opened without following links), if it holds exactly
   * {@code size} bytes; null if it holds more or fewer (it changed: a file that grew is never
   * read whole into memory).
   */
  private byte[] read(DiskFile in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 8) {
      return null;
    }
    try (in) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) size + 1);
      in.readFully(buf, 0);
      return buf.position() == size ? java.util.Arrays.copyOf(buf.array(), (int) size) : null;
    }
  }

  /** A merge was written; counted for the status. Control thread. */
  void count() {
    merged++;
  }
}
