package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local changes: scans (of paths the watcher or the engine named, and full ones), new local
 * versions, the ignore rules and the sweep of expired tombstones.
 *
 * <p>A scan compares the disk with the index on an I/O thread ({@link Scanner}) and returns
 * items based on what the index said then; the control thread records an item only if the
 * index still says the same, otherwise it scans the path again. A new version bumps this
 * device's counter (to at least the clock's seconds, so a device whose index was reset never
 * issues a counter lower than one it issued before) and takes the next sequence number.
 *
 * <p>Threads: the control thread; the scan itself runs on an I/O thread with the ignore rules
 * passed in. {@link #ignores} is an immutable snapshot published through a volatile field.
 */
final class LocalChanges {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** Least time between two sweeps for expired tombstones. */
  static final long TOMBSTONE_SWEEP_NANOS = 3_600_000_000_000L;

  private final Engine engine;
  private final DeviceId self;
  private final DiskView disk;
  private final IndexStore store;
  private final Scheduler control;
  private final Executor io;
  private final Clock clock;
  private final SyncOptions options;
  private final Scanner scanner;
  private final RacyFiles racy = new RacyFiles();
  private final GrowingFiles growing;

  /** Written on the control thread; read on I/O threads (scans, the block server). */
  private volatile IgnoreRules ignores = IgnoreRules.defaults();
  private final Set<RelativePath> pendingPaths = new HashSet<>();
  private boolean fullScanPending;
  private boolean scanRunning;

  /** At most this many chunks of a scan's changes wait for the control thread to record them. */
  static final int MAX_CHUNKS_WAITING = 4;
  /** Guarded by itself: chunks handed to the control thread and not recorded yet. */
  private final int[] chunksWaiting = new int[1];
  /** The thread that records (the control thread of the running scan). */
  private volatile Thread recorder;
  /** Versions recorded from the chunks of the scan under way. */
  private int scanChanges;
  /**
   * The start-up scan has finished: until then the index does not yet hold the folder, and a
   * path here but not yet indexed would look like one to fetch.
   */
  private boolean firstScanDone;
  private Scheduler.Cancellable periodicScan;
  private long lastTombstoneSweepNanos = Long.MIN_VALUE / 2;

  LocalChanges(Engine engine, DeviceId self, DiskView disk, IndexStore store, Scheduler control, Executor io,
      Clock clock, SyncOptions options) {
    this.engine = engine;
    this.self = self;
    this.disk = disk;
    this.store = store;
    this.control = control;
    this.io = io;
    this.clock = clock;
    this.options = options;
    this.scanner = new Scanner(disk, store, io, racy, engine::nowNanos);
    scanner.onRenamed(r -> engine.post(() -> engine.reporter.emit(r)));
    this.growing = new GrowingFiles(options.quietWindow().toNanos(), options.scanInterval().toNanos());
  }

  /** Files whose stat the scanner cannot trust yet. */
  RacyFiles racy() {
    return racy;
  }

  IgnoreRules ignores() {
    return ignores;
  }

  boolean firstScanDone() {
    return firstScanDone;
  }

  boolean scanPending() {
    return !pendingPaths.isEmpty();
  }

  void addPending(RelativePath path) {
    pendingPaths.add(path);
  }

  /** Asks for a full scan as soon as any running scan ends. */
  void requestFullScan() {
    fullScanPending = true;
    startScanIfIdle();
  }

  /** Asks for a scan of the given paths. */
  void requestScan(Collection<RelativePath> paths) {
    pendingPaths.addAll(paths);
    startScanIfIdle();
  }

  /** Schedules the periodic full scan, and with it the hourly tombstone sweep. */
  void schedulePeriodicScan() {
    periodicScan = control.schedule(() -> {
      if (!engine.closed()) {
        engine.requestFullScan();
        // Tombstones live for weeks: looking for expired ones (a pass over the whole index)
        // once an hour is plenty, and keeps an idle node's periodic work to the scan itself.
        long now = engine.nowNanos();
        if (now - lastTombstoneSweepNanos >= TOMBSTONE_SWEEP_NANOS) {
          lastTombstoneSweepNanos = now;
          forgetOldTombstones();
        }
        schedulePeriodicScan();
      }
    }, options.scanInterval());
  }

  void cancel() {
    Engine.cancel(periodicScan);
  }

  /** Starts the scan asked for, unless one runs or the watcher's burst is still being awaited. */
  void startScanIfIdle() {
    if (scanRunning || engine.closed() || !engine.started() || engine.watch.waiting() && !fullScanPending) {
      return;
    }
    boolean full = fullScanPending;
    if (!full && pendingPaths.isEmpty()) {
      return;
    }
    // Sorted, so that a folder is recorded (and sent) before what is inside it. A file backing
    // off because it kept changing is left out: a timer scans it when its back-off ends.
    long now = engine.nowNanos();
    List<RelativePath> paths = pendingPaths.stream().filter(p -> !growing.deferred(p, now)).sorted().toList();
    pendingPaths.clear();
    if (!full && paths.isEmpty()) {
      return;
    }
    fullScanPending = false;
    scanRunning = true;
    IgnoreRules rules = ignores;
    scanner.naming(engine.names.naming());
    long t0 = engine.nowNanos();
    recorder = Thread.currentThread();
    io.execute(() -> {
      Scanner.Result result;
      // Large scans hand their changes over in chunks as they go: the control thread records
      // each chunk while the walk continues. A walk finds changes faster than they are recorded
      // (a first scan), so it waits while MAX_CHUNKS_WAITING chunks are waiting: memory stays
      // flat however big the folder.
      Consumer<List<ScanItem>> sink = chunk -> {
        awaitRoomForAChunk();
        engine.post(() -> {
          try {
            scanChanges += recordSafely(chunk);
            engine.reporter.scanProgress(full, chunk);
            engine.updateStatus(); // what a long first scan has recorded so far
            engine.sender.pushAll();
          } finally {
            chunkRecorded();
          }
        });
      };
      try {
        result = full ? scanner.scanAll(rules, sink) : scanner.scanPaths(paths, rules, sink);
      } catch (RuntimeException e) {
        result = new Scanner.Result(List.of(), List.of(), List.of("scan failed: " + e));
      }
      Scanner.Result r = result;
      engine.post(() -> finishScan(r, full, paths, t0));
    });
  }

  /**
   * Waits until fewer than {@link #MAX_CHUNKS_WAITING} chunks wait for the control thread, then
   * counts one more. Never waits on the recording thread itself (an executor that runs I/O tasks
   * on it, as the simulator's does, would wait forever), nor once the engine is closed (a chunk
   * posted then is dropped and never counted off). Scanning thread.
   */
  private void awaitRoomForAChunk() {
    boolean mayWait = Thread.currentThread() != recorder;
    synchronized (chunksWaiting) {
      while (mayWait && chunksWaiting[0] >= MAX_CHUNKS_WAITING && !engine.closed()) {
        try {
          chunksWaiting.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.util.concurrent.CancellationException("interrupted while waiting to record a scan's changes");
        }
      }
      chunksWaiting[0]++;
    }
  }

  private void chunkRecorded() {
    synchronized (chunksWaiting) {
      chunksWaiting[0]--;
      chunksWaiting.notifyAll();
    }
  }

  /** How many chunks of scanned changes wait for the control thread (for tests). */
  int chunksWaiting() {
    synchronized (chunksWaiting) {
      return chunksWaiting[0];
    }
  }

  private int recordSafely(List<ScanItem> items) {
    try {
      return record(items);
    } catch (RuntimeException e) {
      engine.reporter.report(Optional.empty(), "recording scan results failed: " + e.getMessage(), e);
      return 0;
    }
  }

  private void finishScan(Scanner.Result result, boolean full, List<RelativePath> paths, long t0) {
    scanRunning = false;
    boolean first = full && !firstScanDone;
    firstScanDone |= full;
    int changes = scanChanges + recordSafely(result.changes());
    scanChanges = 0;
    for (String error : result.errors()) {
      engine.reporter.report(Optional.empty(), error, null);
    }
    // Files still being written: look again after a back-off that grows while they keep
    // changing (GrowingFiles); the watcher's events for them meanwhile are dropped.
    long now = engine.nowNanos();
    for (RelativePath p : result.unstable()) {
      long delay = growing.stillChanging(p, now);
      control.schedule(() -> engine.requestScan(List.of(p)), Duration.ofNanos(delay));
    }
    if (full) {
      growing.retainOnly(result.unstable());
    } else {
      Set<RelativePath> settled = new HashSet<>(paths);
      result.unstable().forEach(settled::remove);
      growing.settled(settled);
    }
    changes += VanishedChanges.settle(engine);
    if (first) {
      engine.commits.unrecorded.dropRestored();
      engine.puller.redecideNeeds();
    }
    if (full) {
      TempSweep.sweep(engine, result.temps());
    }
    engine.reporter.emit(new SyncEvent.ScanFinished(full, changes, Duration.ofNanos(engine.nowNanos() - t0)));
    if (changes > 0 || first) {
      engine.sender.pushAll(); // after the first scan even with no change: peers already in step are caught up
    }
    engine.updateStatus();
    startScanIfIdle();
    engine.puller.pump();
  }

  /** Records what a scan found; returns how many new versions that made. */
  private int record(List<ScanItem> items) {
    StoreBatch batch = new StoreBatch();
    int versions = 0;
    boolean ignoreFileChanged = false;
    Map<ScanItem, UnrecordedChanges.Meant> applied = new LinkedHashMap<>();
    for (ScanItem item : items) {
      Optional<LocalEntry> current = engine.commits.local(item.path());
      if (!current.equals(item.base())) {
        if (store.local(item.path()).equals(item.base())) {
          // A change staged since, not yet where a scan looks: look again once it has landed
          // (at once, the scan would find the same; staged changes can wait for a back-off).
          RelativePath path = item.path();
          engine.commits.whenLanded(() -> requestScan(List.of(path)));
        } else {
          pendingPaths.add(item.path()); // the index moved on while we looked: look again
        }
        continue;
      }
      Optional<UnrecordedChanges.Meant> meant = engine.commits.unrecorded.take(item);
      if (meant.isPresent()) {
        applied.put(item, meant.get()); // what a failed commit put there, or a change on it: that version first
        continue;
      }
      if (current.isEmpty() && item.observed().map(o -> o.kind() == FileKind.DIRECTORY).orElse(false)
          && engine.applier.madeForDownloads.contains(item.path())) {
        continue; // made here to hold a download: the folder's own record comes from the peer
      }
      LocalEntry entry = newLocalEntry(item);
      if (entry.record().sequence() != item.base().map(b -> b.record().sequence()).orElse(-1L)) {
        versions++;
        if (!entry.record().deleted()) {
          engine.names.recordedLocally(item.path()); // a name Windows peers cannot hold is said once
        }
      }
      batch.putLocal(entry);
      ignoreFileChanged |= item.path().toString().equals(IgnoreRules.FILE_NAME);
      if (batch.size() >= 1000) {
        engine.commits.write(batch);
        batch = new StoreBatch();
      }
    }
    if (!batch.isEmpty()) {
      engine.commits.write(batch);
    }
    // Staged after the batch is written, so that sequence numbers reach the store in order.
    applied.forEach(this::recordApplied);
    if (ignoreFileChanged) {
      reloadIgnores();
    }
    for (ScanItem item : items) {
      engine.puller.recheckPath(item.path());
    }
    return versions;
  }

  /**
   * Records again the version a failed commit put at {@code item}'s path, through a commit that
   * syncs its folder first ({@link UnrecordedChanges}). Where the scan found a change made on top
   * of it, that version is recorded first (without a stat) and the path scanned again once it
   * has landed: the change is then an edit of it. Recorded at once, its record could outlive the
   * rename it was made over (which only the folder sync that failed would have made durable), and
   * a crash undoing that rename would leave the record of a file that is not there, taken for its
   * removal.
   */
  private void recordApplied(ScanItem item, UnrecordedChanges.Meant meant) {
    boolean exactly = UnrecordedChanges.holds(item, meant.record());
    FileRecord r = meant.record().withSequence(engine.commits.nextSequence());
    LocalEntry entry = item.observed().filter(o -> exactly).map(o -> LocalEntry.of(r, o.stat()))
        .orElseGet(() -> LocalEntry.withoutStat(r));
    CrashTrace trace = meant.kept() ? CrashTrace.KEPT : CrashTrace.NONE;
    engine.commits.stage(entry, disk.resolve(item.path()).getParent(), trace);
    log.debug("{} holds the version whose recording failed{}; recording it again", item.path(),
        exactly ? "" : ", changed since");
    engine.commits.afterLanding(() -> {
      // Follow-ups run after a failed write too: only a record that landed settles the path.
      if (engine.commits.local(item.path()).filter(e -> e.record().sequence() == r.sequence()).isPresent()) {
        if (exactly) {
          engine.reporter.emit(new SyncEvent.RecordedAgain(item.path()));
        } else {
          requestScan(List.of(item.path()));
        }
      }
    });
  }

  /** The index entry for what a scan found. */
  private LocalEntry newLocalEntry(ScanItem item) {
    Optional<FileRecord> base = item.base().map(LocalEntry::record);
    if (item.observed().isEmpty()) {
      FileRecord b = base.orElseThrow();
      return LocalEntry.withoutStat(b.toTombstone(nextVersion(base), self, engine.nowNanos())
          .withSequence(engine.commits.nextSequence()));
    }
    Observed o = item.observed().get();
    FileRecord record = switch (o.kind()) {
      case FILE -> {
        HashedContent c = item.content().orElseThrow();
        boolean exec = o.executableOr(base.filter(FileRecord::isLiveFile).map(FileRecord::executable).orElse(false));
        if (base.isPresent() && base.get().isLiveFile() && base.get().contentHash().equals(c.contentHash())
            && base.get().executable() == exec) {
          // Only the time changed (a touch, or our own write read back at coarser precision):
          // remember the new stat, announce nothing.
          yield null;
        }
        yield FileRecord.file(item.path(), c.size(), o.stat().modifiedNanos(), exec, c.blocks(),
            c.contentHash(), nextVersion(base), self);
      }
      case DIRECTORY -> FileRecord.directory(item.path(), o.stat().modifiedNanos(), nextVersion(base), self);
      case SYMLINK -> FileRecord.symlink(item.path(), o.symlinkTarget(), o.stat().modifiedNanos(),
          nextVersion(base), self);
    };
    if (record == null) {
      return LocalEntry.of(base.get(), o.stat());
    }
    return LocalEntry.of(record.withSequence(engine.commits.nextSequence()), o.stat());
  }

  /** The version that follows {@code base} for a change made on this device now. */
  VersionVector nextVersion(Optional<FileRecord> base) {
    VersionVector v = base.map(FileRecord::version).orElse(VersionVector.empty());
    return v.increment(self, clock.instant().getEpochSecond());
  }

  /** Reads the ignore file again (at start-up, and whenever it changed). */
  void reloadIgnores() {
    try {
      Optional<byte[]> bytes = disk.readFile(RelativePath.of(IgnoreRules.FILE_NAME));
      // Malformed UTF-8 throws, as a read error does: the rules in force stay.
      String text = bytes.isPresent()
          ? StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.get())).toString()
          : "";
      ignores = (bytes.isPresent() ? IgnoreRules.parse(text) : IgnoreRules.defaults())
          .withLocalPatterns(options.localIgnores());
      IgnoreProblems.report(engine.reporter, text, options.localIgnores());
    } catch (IOException e) {
      engine.reporter.report(Optional.of(RelativePath.of(IgnoreRules.FILE_NAME)), "cannot read: " + e.getMessage(), e);
    }
  }

  private void forgetOldTombstones() {
    engine.commits.landAll();
    Set<DeviceId> peers = engine.peers.known();
    StoreBatch batch = new StoreBatch();
    Instant now = clock.instant();
    store.forEachLocal(entry -> {
      FileRecord r = entry.record();
      if (r.deleted()) {
        Map<DeviceId, Optional<FileRecord>> theirs = new HashMap<>();
        for (DeviceId p : peers) {
          theirs.put(p, store.remote(p, r.path()));
        }
        if (options.tombstones().canForget(r, now, theirs)) {
          // Remembered, so that the peers' tombstones of this delete, read again at the next
          // start, do not bring it back as a new local version: every one of them is in the
          // merged version (each peer's tombstone follows ours, or it could not be forgotten).
          VersionVector acknowledged = r.version();
          for (Optional<FileRecord> t : theirs.values()) {
            acknowledged = acknowledged.merge(t.orElseThrow().version());
          }
          batch.removeLocal(r.path()).putExpired(r.path(), acknowledged);
        }
      }
    });
    if (!batch.isEmpty()) {
      engine.commits.write(batch);
    }
  }
}
