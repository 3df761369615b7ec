package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The local index as the control thread sees it, and every write to it: the sequence counter,
 * the count of live paths, direct writes, and group commit of applied changes.
 *
 * <p>Changes applied in quick succession are committed together: each is checked and renamed
 * into place at once ({@link #stage}), but the folder fsyncs and the (synced) store write happen
 * once for the whole group, on an I/O thread (a {@link Flight}): the control thread goes on
 * deciding, renaming and answering while the disk syncs. One flight at a time, so store writes
 * keep their order; what is staged meanwhile goes in the next flight, which is the larger for
 * it. Until a flight has landed, its entries and the staged ones overlay the store for every
 * read ({@link #local}). Any other write ({@link #write}) lands the flight and the staged entries
 * first, on the control thread, so sequence numbers reach the store in order. A crash between a
 * rename and the landing leaves a file newer than its index entry; the next scan records it as a
 * local version with the same content as the peer's, which merges (no data moves).
 *
 * <p>A flight that fails (a folder sync or the store write) records nothing: a record of a
 * rename a crash could still undo would read, at the next scan, as the user's delete. Its
 * changes are on disk, though, and are remembered ({@link UnrecordedChanges}) so that the scan
 * that finds them records them again rather than as edits of this device's, each with what a
 * crash leaves of it ({@link CrashTrace}: a folder made here is synced itself, before its
 * parent). That scan is a full one, after a back-off that doubles with each failure in a row
 * (from {@link #FIRST_RETRY} up to the periodic scan's interval); until then staged changes wait
 * (overlaying the index, and kept in the store with the failed ones, for a crash that comes
 * first), so a disk whose folder syncs keep failing costs one full scan per back-off, not a spin
 * of scans and re-pulls. Writes that cannot wait still land what is staged at once.
 *
 * <p>Threads: the control thread, except {@link Flight#write} (an I/O thread, or the control
 * thread when a write cannot wait) and {@link #lastSequence} (any thread).
 */
final class GroupCommit {

  /** The back-off after the first failed flight; it doubles with each further failure in a row. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final Engine engine;
  private final DiskView disk;
  private final IndexStore store;
  private final Executor io;
  /** The longest back-off after failed flights. */
  private final Duration maxRetry;
  /** What failed flights put on disk without recording it. */
  final UnrecordedChanges unrecorded;

  /** The last sequence number taken (some may not be in the store yet). Read on any thread. */
  private volatile long lastSequence;
  /** Live paths in the index, staged ones included: the status needs it, counting costs O(files). */
  private long liveFiles;
  private StoreBatch pendingBatch = new StoreBatch();
  private Map<RelativePath, LocalEntry> pendingLocal = new HashMap<>();
  private final Set<Path> pendingDirs = new HashSet<>();
  private Map<RelativePath, CrashTrace> pendingTraces = new HashMap<>();
  private final List<Runnable> afterFlush = new ArrayList<>();
  private boolean flushPosted;
  /** The staged commits being made durable on an I/O thread, or null. */
  private Flight flight;
  /** Flights that failed in a row. */
  private int failures;
  /** The end of the back-off after a failed flight, or null: until it runs, staged changes wait. */
  private Scheduler.Cancellable retry;

  GroupCommit(Engine engine, DiskView disk, IndexStore store, Executor io, Duration maxRetry) {
    this.engine = engine;
    this.disk = disk;
    this.store = store;
    this.io = io;
    this.maxRetry = maxRetry;
    this.unrecorded = new UnrecordedChanges(disk);
  }

  /** Reads the counters from the store. Control thread, at start-up. */
  void load() {
    lastSequence = store.lastSequence();
    store.forEachLocal(entry -> liveFiles += entry.record().deleted() ? 0 : 1);
    unrecorded.load(store);
  }

  long lastSequence() {
    return lastSequence;
  }

  /** Takes the next sequence number. */
  long nextSequence() {
    return ++lastSequence;
  }

  long liveFiles() {
    return liveFiles;
  }

  /** Whether changes are staged but not yet on their way to the store (their landing pushes again). */
  boolean holdsUnsent() {
    return flight == null && !pendingBatch.isEmpty();
  }

  /** Whether changes are staged or in flight: their events have not all been sent yet. */
  boolean landing() {
    return flight != null || !pendingBatch.isEmpty();
  }

  /** The local entry at {@code path}, including changes staged or in flight but not yet in the store. */
  Optional<LocalEntry> local(RelativePath path) {
    LocalEntry staged = pendingLocal.get(path);
    if (staged == null && flight != null) {
      staged = flight.entries.get(path);
    }
    return staged != null ? Optional.of(staged) : store.local(path);
  }

  /**
   * Applies a batch now, after everything staged, keeping the count of live paths current.
   */
  void write(StoreBatch batch) {
    landAll();
    long delta = 0;
    for (StoreBatch.Op op : batch.ops()) {
      if (op instanceof StoreBatch.PutLocal put) {
        boolean wasLive = store.local(put.entry().record().path()).map(e -> !e.record().deleted()).orElse(false);
        delta += (put.entry().record().deleted() ? 0 : 1) - (wasLive ? 1 : 0);
      } else if (op instanceof StoreBatch.RemoveLocal rm) {
        delta -= store.local(rm.path()).map(e -> e.record().deleted() ? 0 : 1).orElse(0);
      }
    }
    store.apply(batch);
    liveFiles += delta;
    unrecorded.persist(store);
    for (StoreBatch.Op op : batch.ops()) {
      if (op instanceof StoreBatch.PutLocal put) {
        engine.merges.recorded(put.entry().record());
      }
    }
  }

  /** Stages an entry whose change is on disk already; {@code dir} is the folder to fsync. */
  void stage(LocalEntry entry, Path dir) {
    stage(entry, dir, CrashTrace.NONE);
  }

  /** Stages an entry as {@link #stage(LocalEntry, Path)} does, saying what a crash leaves of it. */
  void stage(LocalEntry entry, Path dir, CrashTrace trace) {
    RelativePath path = entry.record().path();
    pendingTraces.put(path, trace);
    if (trace == CrashTrace.FOLDER) {
      pendingDirs.add(disk.resolve(path));
    }
    boolean wasLive = local(path).map(e -> !e.record().deleted()).orElse(false);
    liveFiles += (entry.record().deleted() ? 0 : 1) - (wasLive ? 1 : 0);
    pendingBatch.putLocal(entry);
    pendingLocal.put(path, entry);
    pendingDirs.add(dir);
    if (retry != null) {
      keepWaiting(entry, trace);
    }
    engine.merges.recorded(entry.record());
    if (!flushPosted) {
      flushPosted = true;
      engine.post(this::flushPending);
    }
  }

  /**
   * Called before a version is recorded at {@code path} with nothing done on disk (an adoption of
   * a peer's history): whether it must wait, because the disk there does not hold what the index
   * says. Where a failed commit's change is unrecorded ({@link UnrecordedChanges}), that change
   * is recorded first, through a commit that syncs its folder (staged by a task of its own: the
   * caller may be taking sequence numbers for a batch), and once it has landed (or failed again)
   * the path is scanned (it may have changed since) and decided again: the peer's version then
   * meets it by the rule. A change read back at start-up waits for the start-up scan.
   */
  boolean recordUnrecordedFirst(RelativePath path) {
    UnrecordedChanges.Claim claim = unrecorded.claim(path, local(path), false);
    if (claim instanceof UnrecordedChanges.Claim.Record) {
      engine.post(() -> {
        if (unrecorded.claim(path, local(path), true) instanceof UnrecordedChanges.Claim.Record r) {
          stage(LocalEntry.withoutStat(r.meant().withSequence(nextSequence())), disk.resolve(path).getParent(),
              r.kept() ? CrashTrace.KEPT : CrashTrace.NONE);
        }
        whenLanded(() -> {
          engine.changes.requestScan(List.of(path));
          engine.puller.recheckPath(path);
          engine.puller.pump();
        });
      });
      return true;
    }
    return claim instanceof UnrecordedChanges.Claim.Wait;
  }

  /** Runs {@code action} on the control thread once what is staged now is in the store. */
  void afterLanding(Runnable action) {
    afterFlush.add(action);
  }

  /**
   * Runs {@code action} on the control thread once what is staged or in flight now has landed
   * (or failed to); at once if nothing is.
   */
  void whenLanded(Runnable action) {
    if (!pendingBatch.isEmpty()) {
      afterFlush.add(action);
    } else if (flight != null) {
      flight.followUps.add(action);
    } else {
      action.run();
    }
  }

  /**
   * Sends the staged commits off to be made durable, unless a flight is under way (its landing
   * sends them).
   */
  private void flushPending() {
    flushPosted = false;
    if (flight != null || retry != null || pendingBatch.isEmpty() || engine.closed()) {
      return;
    }
    Flight f = takeOff();
    io.execute(() -> {
      f.write();
      engine.post(() -> landed(f, true));
    });
  }

  /**
   * A flight's batch is in the store: drop its overlay, report a failure, run its follow-ups
   * (events, re-checks, index pushes) and send off what was staged meanwhile.
   *
   * @param followUpsNow false when called in the middle of another change (from {@link #write}):
   *     that change may have taken sequence numbers not yet in the store, and a push then would
   *     skip them, so the follow-ups are posted instead
   */
  private void landed(Flight f, boolean followUpsNow) {
    if (flight != f) {
      return; // landed already, by a write that could not wait
    }
    flight = null;
    RuntimeException error = f.error();
    if (error != null) {
      failed(f, error);
    } else {
      failures = 0;
      f.entries.keySet().forEach(unrecorded::forget);
      unrecorded.persist(store);
    }
    // Needs the follow-ups queue (a peer's edit that beats a delete just applied) are pumped: a
    // quiet cluster sends nothing that would. After a failure the retry's full scan does.
    boolean pump = error == null && !f.followUps.isEmpty();
    if (followUpsNow) {
      runFollowUps(f.followUps, pump);
      flushPending();
    } else {
      engine.post(() -> runFollowUps(f.followUps, pump));
    }
  }

  /**
   * A flight failed: its changes are on disk but not in the index. Remembers each (unless a newer
   * change of its path is staged) for the scan that finds it, and schedules that scan, a full
   * one, after the back-off.
   */
  private void failed(Flight f, RuntimeException error) {
    for (LocalEntry e : f.entries.values()) {
      RelativePath path = e.record().path();
      if (!pendingLocal.containsKey(path)) {
        CrashTrace trace = f.traces.getOrDefault(path, CrashTrace.NONE);
        boolean kept = trace == CrashTrace.KEPT || trace == CrashTrace.FOLDER && f.synced.contains(disk.resolve(path));
        unrecorded.remember(e, store.local(path), kept);
      }
    }
    pendingLocal.values().forEach(e -> keepWaiting(e, pendingTraces.get(e.record().path())));
    unrecorded.persist(store);
    failures++;
    Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
    if (backoff.compareTo(maxRetry) > 0) {
      backoff = maxRetry;
    }
    engine.reporter.report(Optional.empty(), "recording applied changes failed (trying again in "
        + backoff.toMillis() + " ms): " + error.getMessage(), error);
    Engine.cancel(retry);
    retry = engine.control.schedule(() -> {
      retry = null;
      if (!engine.closed()) {
        engine.changes.requestFullScan();
        flushPending();
      }
    }, backoff);
  }

  /** A staged change that waits out the back-off: kept in the store, should a crash come first. */
  private void keepWaiting(LocalEntry entry, CrashTrace trace) {
    unrecorded.waiting(entry, store.local(entry.record().path()), trace == CrashTrace.KEPT);
    unrecorded.persist(store);
  }

  private void runFollowUps(List<Runnable> actions, boolean pump) {
    actions.forEach(Runnable::run);
    engine.sender.pushAll();
    if (pump) {
      engine.puller.pump();
    }
    engine.updateStatus();
  }

  /**
   * Lands everything not yet in the store, here and now: the flight (written here if its I/O
   * task has not begun; waited for if it has) and then the staged commits. Their follow-ups
   * are posted. For writes that must come after them.
   */
  void landAll() {
    Flight f = flight;
    if (f != null) {
      f.write();
      landed(f, false);
    }
    if (pendingBatch.isEmpty()) {
      return;
    }
    Flight now = takeOff();
    now.write();
    landed(now, false);
  }

  /** Moves everything staged into a new flight, the one under way. */
  private Flight takeOff() {
    // Deepest first, so a folder made here is synced before its parent; in a fixed order, so a
    // seeded disk fails the same sync every time.
    List<Path> dirs = pendingDirs.stream()
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString)).toList();
    Flight f = new Flight(pendingBatch, dirs, pendingLocal, pendingTraces, new ArrayList<>(afterFlush));
    pendingBatch = new StoreBatch();
    pendingLocal = new HashMap<>();
    pendingTraces = new HashMap<>();
    pendingDirs.clear();
    afterFlush.clear();
    flight = f;
    return f;
  }

  /** One group of staged commits on its way to disk and store. */
  private final class Flight {
    final StoreBatch batch;
    final List<Path> dirs;
    final Map<RelativePath, LocalEntry> entries;
    final Map<RelativePath, CrashTrace> traces;
    /** The folders synced before the flight failed, if it did. */
    final Set<Path> synced = new HashSet<>();
    /** Control thread; run once the flight has landed. */
    final List<Runnable> followUps;
    /** Guarded by this flight's monitor: whoever gets there first writes it, once. */
    private boolean written;
    private RuntimeException error;

    Flight(StoreBatch batch, List<Path> dirs, Map<RelativePath, LocalEntry> entries, Map<RelativePath, CrashTrace> traces,
        List<Runnable> followUps) {
      this.batch = batch;
      this.dirs = dirs;
      this.entries = entries;
      this.traces = traces;
      this.followUps = followUps;
    }

    /**
     * Syncs the folders and writes the batch, unless that was done already. Runs on an I/O
     * thread, or on the control thread when a write cannot wait (then, if the I/O thread is
     * already at it, this waits for it: it never needs the control thread to finish).
     */
    synchronized void write() {
      if (written) {
        return;
      }
      written = true;
      try {
        for (Path dir : dirs) {
          disk.fsyncDirectory(dir);
          synced.add(dir);
        }
        store.apply(batch);
      } catch (RuntimeException e) {
        error = e;
      }
    }

    synchronized RuntimeException error() {
      return error;
    }
  }
}
