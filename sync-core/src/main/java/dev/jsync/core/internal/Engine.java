package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.ConflictCopies;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync engine behind {@link dev.jsync.core.SyncNode}.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Threads.</b> All state lives on the control {@link Scheduler} and is touched only by
 * tasks running there, one at a time: sessions, needs, the sequence counter, the scan state.
 * Transport and watcher callbacks arrive on other threads and hop onto it. Blocking work that
 * takes long (hashing during scans, assembling files from blocks, serving blocks) runs on the
 * I/O executor and reports back to the control scheduler. Short disk operations that must not
 * interleave with index changes (the final check-and-rename of a pulled file, deletes, folder
 * creation) run on the control thread, so the index and the disk change together.
 *
 * <p><b>Local changes.</b> A scan compares the disk with the index on an I/O thread and returns
 * items based on what the index said then; the control thread applies an item only if the
 * index still says the same, otherwise it rescans the path. A new version bumps this device's
 * counter (to at least the clock's seconds, so a device whose index was reset never issues a
 * counter lower than one it issued before) and takes the next sequence number.
 *
 * <p><b>Index exchange.</b> Each session sends the local index from the peer's position (from
 * its hello) onwards, one batch in flight at a time, and again whenever the sequence grows.
 * Received batches are checked for gaps, stored with the new position in one store batch, and
 * every record is put to the {@link Reconciler}.
 *
 * <p><b>Pulls.</b> A need names a path only; when a pull starts, the target is chosen afresh
 * from the peers' current records, and just before the result is renamed into place the disk
 * is checked against the index: if someone saved the file meanwhile, the rename is called off,
 * the path rescanned, and the next decision sees a conflict instead of a lost edit.
 */
public final class Engine implements TransportHandler {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  static final String META_EPOCH = "index.epoch";

  /** Least time between two sweeps for expired tombstones. */
  static final long TOMBSTONE_SWEEP_NANOS = 3_600_000_000_000L;

  /** How long a batch that would only move the peer's position may wait for company. */
  static final Duration POSITION_DELAY = Duration.ofMillis(250);

  /** Silence awaited after the first events of a burst before scanning. */
  static final long SETTLE_NANOS = 10_000_000L;

  private final DeviceId self;
  private final DiskView disk;
  private final IndexStore store;
  private final Transport transport;
  private final Scheduler control;
  private final Executor io;
  private final Clock clock;
  private final SyncOptions options;
  private final SyncListener listener;
  private final Reconciler reconciler;
  private final FolderWatcher watcher;
  private final RandomGenerator random;
  private final Scanner scanner;
  /** Answers peers' block requests (on I/O threads). */
  private final BlockServer blockServer;

  // Control-thread state.
  private volatile long epoch;
  private volatile long lastSequence;
  /** Written on the control thread, read by the block server on I/O threads too. */
  private volatile IgnoreRules ignores = IgnoreRules.defaults();
  private final Map<DeviceId, PeerSession> sessions = new HashMap<>();
  private final Map<DeviceId, String> peerNames = new HashMap<>();
  /** Peers the store holds anything of, kept here so hot paths need not ask the store. */
  private final Set<DeviceId> knownPeers = new java.util.TreeSet<>();
  private final Needs needs = new Needs();
  private final Set<RelativePath> pulling = new HashSet<>();
  private long bytesInFlight;
  private boolean scanRunning;
  private long lastTombstoneSweepNanos = Long.MIN_VALUE / 2;
  private int scanChanges;
  private boolean fullScanPending;
  private final Set<RelativePath> pendingPaths = new HashSet<>();
  private Scheduler.Cancellable flushTimer;
  private long firstPendingNanos;
  private long lastEventNanos;
  private Scheduler.Cancellable periodicScan;
  private Scheduler.Cancellable pumpTimer;
  private boolean started;
  private long liveFiles;
  private volatile boolean closed;
  private volatile SyncStatus status;

  public Engine(DeviceId self, Path folder, IndexStore store, Transport transport, Scheduler control, Executor io,
      Clock clock, SyncOptions options, SyncListener listener, FolderWatcher watcher, RandomGenerator random) {
    this.self = self;
    this.disk = new DiskView(folder);
    this.store = store;
    this.transport = transport;
    this.control = control;
    this.io = io;
    this.clock = clock;
    this.options = options;
    this.listener = listener;
    this.reconciler = new Reconciler(options.resolver());
    this.watcher = watcher;
    this.random = random;
    this.scanner = new Scanner(disk, store, io);
    this.blockServer = new BlockServer(disk, store, () -> ignores, this::nowNanos);
    this.status = new SyncStatus(self, 0, 0, 0, List.of());
  }

  // ---------------------------------------------------------------- life cycle

  /** Loads state, then scans, starts the watcher and the transport. Returns once loaded. */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    post(() -> {
      try {
        load();
        started = true;
        transport.start(this);
        requestFullScan();
        if (watcher != null && options.watch()) {
          watcher.start(disk.root(), new FolderWatcher.Listener() {
            @Override
            public void changed(Path path) {
              post(() -> onWatchEvent(path));
            }

            @Override
            public void overflow() {
              post(Engine.this::requestFullScan);
            }
          });
        }
        schedulePeriodicScan();
        done.complete(null);
      } catch (Exception | Error e) {
        // An Error too (a native library that fails to link, a full heap): the scheduler would
        // swallow it, and start() would wait for this future forever.
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private void load() {
    Optional<byte[]> e = store.metadata(META_EPOCH);
    if (e.isPresent() && e.get().length == 8) {
      epoch = ByteBuffer.wrap(e.get()).getLong();
    } else {
      long fresh;
      do {
        fresh = random.nextLong();
      } while (fresh == 0);
      epoch = fresh;
      store.apply(new StoreBatch().putMetadata(META_EPOCH, ByteBuffer.allocate(8).putLong(fresh).array()));
    }
    lastSequence = store.lastSequence();
    store.forEachLocal(entry -> liveFiles += entry.record().deleted() ? 0 : 1);
    reloadIgnores();
    knownPeers.addAll(store.peers());
    // Needs are not persisted: rebuild them from what the peers' indexes say.
    for (DeviceId peer : knownPeers) {
      store.forEachRemote(peer, r -> considerRemote(peer, r, null));
    }
    updateStatus();
  }

  /** Stops the transport, the watcher and all timers. In-flight downloads keep their temp files. */
  public void close() {
    closed = true;
    if (watcher != null) {
      watcher.close();
    }
    transport.close();
    post(() -> {
      cancel(periodicScan);
      cancel(flushTimer);
      cancel(pumpTimer);
      sessions.clear();
      landAll(); // files already renamed into place get their index entries now, not at the next scan
    });
  }

  private static void cancel(Scheduler.Cancellable c) {
    if (c != null) {
      c.cancel();
    }
  }

  public SyncStatus status() {
    return status;
  }

  public DeviceId device() {
    return self;
  }

  // ---------------------------------------------------------------- scanning

  /** Asks for a full scan as soon as any running scan ends. Any thread. */
  public void requestFullScan() {
    post(() -> {
      fullScanPending = true;
      startScanIfIdle();
    });
  }

  /** Asks for a scan of the given paths. Any thread. */
  public void requestScan(Collection<RelativePath> paths) {
    List<RelativePath> copy = List.copyOf(paths);
    post(() -> {
      pendingPaths.addAll(copy);
      startScanIfIdle();
    });
  }

  private void schedulePeriodicScan() {
    periodicScan = control.schedule(() -> {
      if (!closed) {
        requestFullScan();
        // Tombstones live for weeks: looking for expired ones (a pass over the whole index)
        // once an hour is plenty, and keeps an idle node's periodic work to the scan itself.
        long now = nowNanos();
        if (now - lastTombstoneSweepNanos >= TOMBSTONE_SWEEP_NANOS) {
          lastTombstoneSweepNanos = now;
          forgetOldTombstones();
        }
        schedulePeriodicScan();
      }
    }, options.scanInterval());
  }

  private void onWatchEvent(Path absolute) {
    if (closed) {
      return;
    }
    RelativePath rel = toRelative(absolute);
    if (rel == null) {
      return;
    }
    long now = nowNanos();
    if (pendingPaths.isEmpty() && flushTimer == null) {
      firstPendingNanos = now;
    }
    pendingPaths.add(rel);
    lastEventNanos = now;
    // One timer for a whole burst, re-armed when it fires early, rather than one cancelled and
    // scheduled again per event: a sync writing thousands of files makes several events each.
    if (flushTimer == null) {
      armFlushTimer(now);
    }
  }

  /**
   * When the paths the watcher reported may be scanned. A save is a handful of events within a
   * millisecond or two, so at first only a short settle time of silence is awaited: a saved
   * note goes out within milliseconds. If the burst goes on longer than the quiet window (a
   * large copy, a build), the full quiet window of silence is awaited instead. Either way the
   * wait never exceeds the cap after the first event, so a file written continuously still syncs.
   */
  private long flushDeadline() {
    long waited = lastEventNanos - firstPendingNanos;
    long quiet = options.quietWindow().toNanos();
    long silence = waited < quiet ? Math.min(SETTLE_NANOS, quiet) : quiet;
    return Math.min(lastEventNanos + silence, firstPendingNanos + options.maxEventDelay().toNanos());
  }

  private void armFlushTimer(long now) {
    flushTimer = control.schedule(() -> {
      long t = nowNanos();
      if (!closed && t < flushDeadline()) {
        armFlushTimer(t); // events came in since it was set: wait out the rest of the silence
        return;
      }
      flushTimer = null;
      startScanIfIdle();
    }, Duration.ofNanos(Math.max(0, flushDeadline() - now)));
  }

  private RelativePath toRelative(Path absolute) {
    Path name = absolute.getFileName();
    if (name != null && name.toString().startsWith(RelativePath.TEMP_PREFIX)) {
      return null; // our own downloads in progress: every pulled file makes a few of these events
    }
    Path rel;
    try {
      rel = disk.root().relativize(absolute);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (rel.getNameCount() > 0 && rel.getName(0).toString().equals(RelativePath.STATE_DIR_NAME)) {
      return null; // the state folder
    }
    StringBuilder b = new StringBuilder();
    for (Path part : rel) {
      b.append(b.length() == 0 ? "" : "/").append(part);
    }
    try {
      return RelativePath.of(b.toString());
    } catch (InvalidRelativePathException e) {
      return null; // a name we cannot sync (the scan says so)
    }
  }

  private void startScanIfIdle() {
    if (scanRunning || closed || !started || flushTimer != null && !fullScanPending) {
      return;
    }
    boolean full = fullScanPending;
    if (!full && pendingPaths.isEmpty()) {
      return;
    }
    // Sorted, so that a folder is recorded (and sent) before what is inside it.
    List<RelativePath> paths = pendingPaths.stream().sorted().toList();
    pendingPaths.clear();
    fullScanPending = false;
    scanRunning = true;
    IgnoreRules rules = ignores;
    long t0 = nowNanos();
    io.execute(() -> {
      Scanner.Result result;
      // Large scans hand their changes over in chunks as they go: the control thread records
      // each chunk while the walk continues, and memory stays flat however big the folder.
      Consumer<List<ScanItem>> sink = chunk -> post(() -> {
        scanChanges += applyScanSafely(chunk);
        pushAll();
      });
      try {
        result = full ? scanner.scanAll(rules, sink) : scanner.scanPaths(paths, rules, sink);
      } catch (RuntimeException e) {
        result = new Scanner.Result(List.of(), List.of(), List.of("scan failed: " + e));
      }
      Scanner.Result r = result;
      post(() -> finishScan(r, full, t0));
    });
  }

  private int applyScanSafely(List<ScanItem> items) {
    try {
      return applyScan(items);
    } catch (RuntimeException e) {
      report(Optional.empty(), "recording scan results failed: " + e.getMessage(), e);
      return 0;
    }
  }

  private void finishScan(Scanner.Result result, boolean full, long t0) {
    scanRunning = false;
    boolean first = full && !firstScanDone;
    firstScanDone |= full;
    int changes = scanChanges + applyScanSafely(result.changes());
    scanChanges = 0;
    for (String error : result.errors()) {
      report(Optional.empty(), error, null);
    }
    if (!result.unstable().isEmpty()) {
      // Files still being written: look again after a quiet window.
      List<RelativePath> again = result.unstable();
      control.schedule(() -> requestScan(again), options.quietWindow());
    }
    if (first) {
      redecideNeeds();
    }
    if (full && !result.temps().isEmpty()) {
      removeUnneededTemps(result.temps());
    }
    emit(new SyncEvent.ScanFinished(full, changes, Duration.ofNanos(nowNanos() - t0)));
    if (changes > 0 || first) {
      pushAll(); // after the first scan even with no change: peers already in step are now caught up
    }
    updateStatus();
    startScanIfIdle();
    pump();
  }

  /**
   * Decides every need again once the start-up scan has recorded what the folder holds. Until
   * then a peer's record of a path that is here but not yet indexed looks like something to
   * fetch (pulls wait for the scan, see {@link #pump}); now that content is known, a copy made
   * before jSync ran (a vault copied to a second device) is adopted, in batches, with no data
   * moved, and what the peers no longer offer is dropped. Control thread.
   */
  private void redecideNeeds() {
    StoreBatch adopts = new StoreBatch();
    int adopted = 0;
    for (RelativePath path : needs.paths()) {
      if (pulling.contains(path)) {
        continue;
      }
      Optional<Reconciler.Choice> choice = chooseTarget(path);
      Optional<LocalEntry> local = local(path);
      if (choice.isEmpty()) {
        needs.remove(path);
      } else if (local.isPresent() && choice.get().decision().changesNothingOnDisk(local.get().record())) {
        adopts.putLocal(new LocalEntry(recorded(choice.get().decision()).withSequence(++lastSequence),
            local.get().stat()));
        needs.remove(path);
        adopted++;
        if (adopts.size() >= 1000) {
          write(adopts);
          adopts = new StoreBatch();
        }
      }
    }
    if (!adopts.isEmpty()) {
      write(adopts);
    }
    if (adopted > 0) {
      log.info("{} files were here already with the same content as on the peers: adopted their history", adopted);
    }
  }

  /**
   * Deletes the temp files a full scan passed that no download will use: those of a download
   * given up, of a version superseded meanwhile, or left by a crash. A temp file whose name
   * matches a path still needed (or being pulled) is kept, so an interrupted download resumes
   * from it. Control thread.
   */
  private void removeUnneededTemps(List<Path> temps) {
    Set<Path> wanted = new HashSet<>();
    for (RelativePath path : needs.paths()) {
      wanted.add(tempStem(path));
    }
    for (RelativePath path : pulling) {
      wanted.add(tempStem(path));
    }
    for (Path temp : temps) {
      String name = temp.getFileName().toString();
      int stemLength = RelativePath.TEMP_PREFIX.length() + 8;
      Path stem = name.length() >= stemLength ? temp.resolveSibling(name.substring(0, stemLength)) : temp;
      if (wanted.contains(stem)) {
        continue;
      }
      try {
        if (Files.deleteIfExists(temp)) {
          log.debug("removed {}, a download no longer needed", temp);
        }
      } catch (IOException e) {
        log.debug("could not remove {}: {}", temp, e.toString());
      }
    }
  }

  /** What the names of {@code path}'s temp files start with (see {@link FileAssembly#tempName}). */
  private Path tempStem(RelativePath path) {
    String name = FileAssembly.tempName(path.name(), null);
    return disk.resolve(path).resolveSibling(name);
  }

  private int applyScan(List<ScanItem> items) {
    StoreBatch batch = new StoreBatch();
    int versions = 0;
    boolean ignoreFileChanged = false;
    for (ScanItem item : items) {
      Optional<LocalEntry> current = local(item.path());
      if (!current.equals(item.base())) {
        pendingPaths.add(item.path()); // the index moved on while we looked: look again
        continue;
      }
      if (current.isEmpty() && item.observed().map(o -> o.kind() == FileKind.DIRECTORY).orElse(false)
          && madeForDownloads.contains(item.path())) {
        continue; // made here to hold a download: the folder's own record comes from the peer
      }
      LocalEntry entry = newLocalEntry(item);
      if (entry.record().sequence() != item.base().map(b -> b.record().sequence()).orElse(-1L)) {
        versions++;
      }
      batch.putLocal(entry);
      ignoreFileChanged |= item.path().toString().equals(IgnoreRules.FILE_NAME);
      if (batch.size() >= 1000) {
        write(batch);
        batch = new StoreBatch();
      }
    }
    if (!batch.isEmpty()) {
      write(batch);
    }
    if (ignoreFileChanged) {
      reloadIgnores();
    }
    for (ScanItem item : items) {
      recheckPath(item.path());
    }
    return versions;
  }

  /** The index entry for what a scan found. */
  private LocalEntry newLocalEntry(ScanItem item) {
    Optional<FileRecord> base = item.base().map(LocalEntry::record);
    if (item.observed().isEmpty()) {
      FileRecord b = base.orElseThrow();
      return LocalEntry.withoutStat(b.toTombstone(nextVersion(base), self, nowNanos()).withSequence(++lastSequence));
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
    return LocalEntry.of(record.withSequence(++lastSequence), o.stat());
  }

  private VersionVector nextVersion(Optional<FileRecord> base) {
    VersionVector v = base.map(FileRecord::version).orElse(VersionVector.empty());
    return v.increment(self, clock.instant().getEpochSecond());
  }

  private void reloadIgnores() {
    Path file = disk.root().resolve(IgnoreRules.FILE_NAME);
    try {
      ignores = Files.isRegularFile(file)
          ? IgnoreRules.parse(Files.readString(file, StandardCharsets.UTF_8))
          : IgnoreRules.defaults();
    } catch (IOException e) {
      report(Optional.of(RelativePath.of(IgnoreRules.FILE_NAME)), "cannot read: " + e.getMessage(), e);
    }
  }

  private void forgetOldTombstones() {
    landAll();
    Set<DeviceId> peers = knownPeers;
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
          batch.removeLocal(r.path());
        }
      }
    });
    if (!batch.isEmpty()) {
      write(batch);
    }
  }

  // ---------------------------------------------------------------- transport events

  @Override
  public Hello helloFor(DeviceId peer) {
    IndexPosition seen = store.position(peer);
    helloPositions.put(peer, seen);
    return new Hello(options.deviceName(), epoch, lastSequence, seen);
  }

  /**
   * The position of each peer's index our last hello to it announced. The transport asks for a
   * hello on its own thread, while batches from an older link to the same peer may still wait
   * on the control thread; once they are stored, the peer's new session would start from
   * behind what we hold. {@link #connected} then asks it to go on from where we are.
   */
  private final Map<DeviceId, IndexPosition> helloPositions = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void connected(PeerLink link, Hello theirs) {
    post(() -> {
      if (closed) {
        link.close("shutting down");
        return;
      }
      DeviceId peer = link.peer();
      PeerSession old = sessions.get(peer);
      if (old != null && old.link != link) {
        old.link.close("replaced by a newer connection");
      }
      long from = theirs.seenOfYou().epoch() == epoch ? Math.min(theirs.seenOfYou().sequence(), lastSequence) : 0;
      PeerSession session = new PeerSession(link, theirs, from);
      sessions.put(peer, session);
      knownPeers.add(peer);
      peerNames.put(peer, theirs.deviceName());
      log.info("connected to {} ({}), sending our index from sequence {}", theirs.deviceName(), peer.shortId(), from);
      IndexPosition announced = helloPositions.remove(peer);
      IndexPosition held = store.position(peer);
      if (announced != null && !announced.equals(held) && held.epoch() == theirs.indexEpoch()) {
        // Batches of the link this one replaces landed after our hello: skip what we have.
        requestResume(session, held.epoch(), held.sequence());
      }
      emit(new SyncEvent.PeerConnected(peer, theirs.deviceName()));
      push(session);
      // Paths that failed while no peer could serve them (a link lost mid-download, or needs
      // rebuilt at start-up before any peer was connected) may go now, not after their back-off.
      needs.retryAllNow(nowNanos());
      updateStatus();
      pump();
    });
  }

  @Override
  public void disconnected(PeerLink link, String reason) {
    post(() -> {
      PeerSession s = sessions.get(link.peer());
      if (s != null && s.link == link) {
        sessions.remove(link.peer());
        emit(new SyncEvent.PeerDisconnected(link.peer(), reason));
        updateStatus();
      }
    });
  }

  @Override
  public CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
    // Completed once the batch is applied or dropped: the transport's memory budget waits on it.
    CompletableFuture<Void> applied = new CompletableFuture<>();
    post(() -> {
      try {
        applyIndex(link, update);
      } finally {
        applied.complete(null);
      }
    });
    return applied;
  }

  private void applyIndex(PeerLink link, IndexUpdate update) {
    PeerSession s = sessions.get(link.peer());
    if (s == null || s.link != link) {
      return;
    }
    try {
      receiveIndex(s, update);
    } catch (RuntimeException e) {
      report(Optional.empty(), "index from " + link.peer().shortId() + " rejected: " + e.getMessage(), e);
      link.close("index rejected: " + e.getMessage());
    }
  }

  private void receiveIndex(PeerSession session, IndexUpdate update) {
    DeviceId peer = session.link.peer();
    IndexPosition pos = store.position(peer);
    StoreBatch batch = new StoreBatch();
    if (update.indexEpoch() != pos.epoch()) {
      if (update.previousSequence() != 0) {
        // A stream of an index we hold nothing of, not from its start: ask for all of it.
        askToResume(session, update, update.indexEpoch(), 0);
        return;
      }
      // The peer's index is new to us (first contact, or it was reset): start over.
      batch.clearRemote(peer);
      pos = new IndexPosition(update.indexEpoch(), 0);
    }
    if (update.previousSequence() > pos.sequence()) {
      askToResume(session, update, pos.epoch(), pos.sequence());
      return;
    }
    // From here the batch continues what we hold, or overlaps it (a new link that started from
    // an older position than we reached, a batch delivered twice). Records up to our position
    // were all received already, each as the latest version of its path at the time: skip them.
    long held = pos.sequence();
    session.resumeAsked = -1; // the stream continues from what we hold, or overlaps it
    cancel(session.resumeTimer);
    session.resumeTimer = null;
    List<FileRecord> fresh = update.previousSequence() == held ? update.records()
        : update.records().stream().filter(r -> r.sequence() > held).toList();
    if (update.lastSequence() <= held && fresh.isEmpty()) {
      return; // nothing we do not have
    }
    boolean localChanged = false;
    inline.addAll(update.inline());
    for (FileRecord r : fresh) {
      batch.putRemote(peer, r);
    }
    knownPeers.add(peer);
    batch.setPosition(peer, new IndexPosition(update.indexEpoch(), Math.max(held, update.lastSequence())));
    write(batch);
    session.peerSequence = Math.max(session.peerSequence, update.lastSequence());
    StoreBatch adopts = new StoreBatch();
    for (FileRecord r : fresh) {
      localChanged |= considerRemote(peer, r, adopts);
    }
    if (!adopts.isEmpty()) {
      write(adopts);
    }
    if (localChanged) {
      pushAll();
    }
    updateStatus();
    pump();
  }

  /**
   * A batch does not continue from what we hold of the peer's index: rather than drop the link
   * and every transfer on it, ask the peer to go on from our position. Batches already on their
   * way from the old position start beyond the one that made us ask, and are dropped without
   * asking again until the resumed stream arrives (it covers them). A gapped batch that starts
   * no later than that one belongs to the resumed stream (whose own start went missing): ask
   * again.
   */
  private void askToResume(PeerSession session, IndexUpdate update, long epoch, long sequence) {
    if (session.resumeAsked == sequence && update.previousSequence() > session.resumeTrigger) {
      return;
    }
    session.resumeTrigger = update.previousSequence();
    log.debug("index from {} does not continue from {} (batch after {}): asking it to resume",
        session.link.peer().shortId(), sequence, update.previousSequence());
    requestResume(session, epoch, sequence);
  }

  /**
   * Asks {@code session}'s peer to send its index from after {@code sequence}, and again every
   * {@link #RESUME_RETRY} until a batch that continues from what we hold arrives: a resumed
   * stream can be cut too, and a sender that believes it sent everything sends nothing more.
   */
  private void requestResume(PeerSession session, long epoch, long sequence) {
    session.resumeAsked = sequence;
    session.link.requestIndexFrom(epoch, sequence);
    cancel(session.resumeTimer);
    session.resumeTimer = control.schedule(() -> {
      session.resumeTimer = null;
      if (!closed && session.resumeAsked >= 0 && sessions.get(session.link.peer()) == session) {
        IndexPosition pos = store.position(session.link.peer());
        if (pos.epoch() == session.hello.indexEpoch() && pos.sequence() >= session.peerSequence) {
          session.resumeAsked = -1; // we hold all the peer has announced: nothing is missing
          return;
        }
        session.resumeTrigger = -1;
        requestResume(session, pos.epoch(), pos.sequence());
      }
    }, RESUME_RETRY);
  }

  /** How long a receiver waits for a resumed index stream before asking again. */
  static final Duration RESUME_RETRY = Duration.ofSeconds(1);

  @Override
  public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
    post(() -> {
      PeerSession s = sessions.get(link.peer());
      if (s == null || s.link != link) {
        return;
      }
      long from = indexEpoch == epoch ? Math.min(afterSequence, lastSequence) : 0;
      log.debug("{} asks for our index from sequence {}", link.peer().shortId(), from);
      if (s.sending) {
        s.resendFrom = from; // the batch on its way must not move the position past this
      } else {
        s.sentUpTo = from;
      }
      s.scannedUpTo = Math.min(s.scannedUpTo, from);
      push(s);
    });
  }

  /**
   * Puts one remote record to the reconciler. Adoptions (merged histories, nothing to move) go
   * into {@code adopts} when given; anything to pull becomes a need.
   *
   * @return whether the local index changed
   */
  private boolean considerRemote(DeviceId peer, FileRecord r, StoreBatch adopts) {
    if (ignores.isIgnoredWithAncestors(r.path(), !r.deleted() && r.kind() == FileKind.DIRECTORY)) {
      return false;
    }
    Optional<LocalEntry> local = local(r.path());
    Decision d = reconciler.decide(local.map(LocalEntry::record), r);
    if (!(d instanceof Decision.Change change)) {
      return false;
    }
    if (adopts != null && local.isPresent() && change.changesNothingOnDisk(local.get().record())) {
      adopts.putLocal(new LocalEntry(recorded(change).withSequence(++lastSequence), local.get().stat()));
      return true;
    }
    {
      needs.put(r.path(), peer, r.size(), r.deleted(), pulling.contains(r.path()), nowNanos());
    }
    return false;
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    io.execute(() -> reply.accept(blockServer.serve(request)));
  }

  /**
   * Folders this node made on disk only to hold a download (or its temp file), that had no
   * index record here when made. A scan must not take one for a user's new folder (that version
   * would beat a peer's removal of the folder: found by the cluster simulator); it becomes the
   * folder's own record when that arrives, and a removal of it deletes it. Forgotten once the
   * path is committed either way, or at restart (then the next scan records it, as before).
   */
  private final Set<RelativePath> madeForDownloads = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Whether {@code dir} holds nothing but download temp files. */
  private static boolean holdsOnlyDownloads(Path dir) throws IOException {
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        if (!e.getFileName().toString().startsWith(RelativePath.TEMP_PREFIX)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Makes {@code dir} and any missing folders above it, remembering those it made. Any thread. */
  private void makeFoldersFor(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && p.startsWith(disk.root()) && !p.equals(disk.root())
        && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
      missing.add(p);
    }
    Files.createDirectories(dir);
    for (Path p : missing) {
      RelativePath rel = toRelative(p);
      if (rel != null) {
        madeForDownloads.add(rel);
      }
    }
  }

  /**
   * The start-up scan has finished: until then the index does not yet hold the folder, and a
   * peer that looks caught up may be about to receive all of it (a first contact, whose small
   * files must not all travel inline: the peer may have them already).
   */
  private boolean firstScanDone;

  /** Block bytes that came with peers' index records, for the pulls that need them (8 MiB at most). */
  private final InlineBlocks inline = new InlineBlocks(8L << 20);

  // ---------------------------------------------------------------- sending the index

  private void pushAll() {
    for (PeerSession s : sessions.values()) {
      push(s);
    }
  }

  /**
   * Sends {@code s}'s peer the next part of the local index it lacks. Records the peer itself
   * sent us are left out (echoing them changes nothing), and a batch that would carry nothing
   * but a new position waits up to {@link #POSITION_DELAY}: while a peer is pulling, every
   * group of files it commits would otherwise cost a message and a synced write on each side.
   */
  private void push(PeerSession s) {
    if (s.sending || closed || (flight == null && !pendingBatch.isEmpty())) {
      return; // staged commits are not in the store yet; their landing pushes again
    }
    // The store's last sequence, not the counter: a change being recorded may have taken
    // numbers that are not in the store yet, and announcing them would skip their records.
    // What the store holds is always a prefix of the sequence (flights land in order, and any
    // other write lands them first); records a flight landing meanwhile adds past this point
    // wait for the next push.
    long stored = store.lastSequence();
    if (s.sentUpTo >= stored) {
      s.caughtUp |= firstScanDone;
      return;
    }
    int limit = options.indexBatchRecords();
    DeviceId peer = s.link.peer();
    List<FileRecord> useful = new ArrayList<>();
    // Records whose content the peer announced itself (an adoption of its history, a merge):
    // it holds those bytes, so they never travel inline.
    Set<RelativePath> theyHaveContent = new HashSet<>();
    // Records up to scannedUpTo were all echoes the peer has; do not read them again.
    long upTo = Math.max(s.sentUpTo, s.scannedUpTo);
    while (true) {
      List<FileRecord> records = store.localSince(upTo, limit);
      upTo = records.size() < limit ? stored : Math.min(stored, records.get(records.size() - 1).sequence());
      for (FileRecord r : records) {
        if (r.sequence() > stored) {
          break;
        }
        Optional<FileRecord> theirs = store.remote(peer, r.path());
        if (theirs.isEmpty() || !theirs.get().version().equals(r.version())) {
          useful.add(r);
          if (theirs.isPresent() && theirs.get().isLiveFile() && theirs.get().contentHash().equals(r.contentHash())) {
            theyHaveContent.add(r.path());
          }
        }
      }
      if (!useful.isEmpty() || records.size() < limit || upTo >= stored) {
        break;
      }
    }
    if (useful.isEmpty() && !s.positionDue) {
      s.scannedUpTo = upTo;
      if (s.positionTimer == null) {
        s.positionTimer = control.schedule(() -> {
          s.positionTimer = null;
          s.positionDue = true;
          push(s);
        }, POSITION_DELAY);
      }
      return;
    }
    s.positionDue = false;
    long sentTo = upTo;
    IndexUpdate update = new IndexUpdate(epoch, s.sentUpTo, sentTo, useful);
    s.sending = true;
    // Inline only once the peer's own index, as it stood at the hello, is here: before that,
    // a record the peer has not announced may be a file it holds all the same.
    IndexPosition read = store.position(peer);
    boolean theirsRead = s.hello.lastSequence() == 0
        || (read.epoch() == s.hello.indexEpoch() && read.sequence() >= s.hello.lastSequence());
    List<FileRecord> small = s.caughtUp && theirsRead
        ? inlineCandidates(useful.stream().filter(r -> !theyHaveContent.contains(r.path())).toList())
        : List.of();
    if (small.isEmpty()) {
      send(s, update, sentTo);
      return;
    }
    io.execute(() -> {
      List<InlineBlock> blocks = readInline(small);
      post(() -> {
        if (closed || sessions.get(s.link.peer()) != s) {
          s.sending = false;
          return;
        }
        log.debug("to {}: {} records with {} of their files inline", s.link.peer().shortId(),
            update.records().size(), blocks.size());
        send(s, new IndexUpdate(update.indexEpoch(), update.previousSequence(), update.lastSequence(),
            update.records(), blocks), sentTo);
      });
    });
  }

  private void send(PeerSession s, IndexUpdate update, long sentTo) {
    s.link.sendIndex(update).whenComplete((ok, err) -> post(() -> {
      s.sending = false;
      if (s.resendFrom >= 0) {
        s.sentUpTo = s.resendFrom;
        s.resendFrom = -1;
        push(s);
      } else if (err == null) {
        s.sentUpTo = sentTo;
        s.caughtUp |= firstScanDone && sentTo >= store.lastSequence();
        push(s);
      }
    }));
  }

  /** Files of at most this size travel with their index records while peers are connected. */
  static final int INLINE_FILE_BYTES = 16 * 1024;
  /** At most this many bytes of file content go with one index push. */
  static final int INLINE_BYTES_PER_PUSH = 2 << 20;

  /** The live files among {@code records} small enough to send along, within one push's budget. */
  private static List<FileRecord> inlineCandidates(List<FileRecord> records) {
    List<FileRecord> out = new ArrayList<>();
    long budget = INLINE_BYTES_PER_PUSH;
    for (FileRecord r : records) {
      if (r.isLiveFile() && r.size() > 0 && r.size() <= INLINE_FILE_BYTES && r.blocks().size() == 1
          && r.size() <= budget) {
        out.add(r);
        budget -= r.size();
      }
    }
    return out;
  }

  /**
   * Reads the small files to send along, each only if it still hashes to its record's block:
   * what goes to a peer is what the index says is there, read without following a link at the
   * file or above it (as {@link BlockServer} serves blocks). A file changed since its scan is
   * left out and simply requested later. I/O thread.
   */
  private List<InlineBlock> readInline(List<FileRecord> small) {
    List<InlineBlock> out = new ArrayList<>(small.size());
    java.security.MessageDigest md = dev.jsync.core.Sha256.newDigest();
    for (FileRecord r : small) {
      // Never more than the record's size: a file that grew since is left to a request.
      ByteBuffer buf = ByteBuffer.allocate((int) r.size() + 1);
      try (var ch = disk.openForReading(r.path())) {
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          // read on
        }
        if (buf.position() == r.size()) {
          byte[] data = java.util.Arrays.copyOf(buf.array(), (int) r.size());
          md.reset();
          if (r.blocks().get(0).hash().matches(md.digest(data))) {
            out.add(new InlineBlock(r.blocks().get(0).hash(), data));
          }
        }
      } catch (IOException | RuntimeException e) {
        // Gone, unreadable or a link now: the peer requests it, and hears why.
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- pulling

  /** Re-evaluates one path against every peer's record, e.g. after it changed locally. */
  private void recheckPath(RelativePath path) {
    for (DeviceId peer : knownPeers) {
      store.remote(peer, path).ifPresent(r -> considerRemote(peer, r, null));
    }
  }

  private void pump() {
    if (closed || !started) {
      return;
    }
    long now = nowNanos();
    long nextRetry = needs.promote(now);
    if (!firstScanDone) {
      // Until the start-up scan has recorded the folder, a path here but not yet indexed looks
      // like one to fetch (or delete): wait for it, then decide again (redecideNeeds).
      return;
    }
    // With no peer connected there is nothing to fetch from: rather than fail (and warn about)
    // every path in turn, wait; connected() pumps again. Deletes below need no peer.
    while (!sessions.isEmpty() && pulling.size() < options.maxFilesInFlight()) {
      Need n = needs.pollReady();
      if (n == null) {
        break;
      }
      if (!pulling.contains(n.path)) {
        startPull(n);
      }
    }
    // Deletes go last, deepest first: a pull may still take blocks from a file about to be
    // deleted (a rename is a delete plus a create), and a folder empties before it goes.
    while (pulling.isEmpty() && !needs.hasReady()) {
      Need n = needs.pollDelete();
      if (n == null) {
        break;
      }
      startPull(n);
    }
    if (pulling.isEmpty() && needs.size() == 0 && inline.bytes() > 0) {
      inline.clear(); // what no pull took (content this node had already): not kept while idle
    }
    if (nextRetry != 0 && pumpTimer == null) {
      pumpTimer = control.schedule(() -> {
        pumpTimer = null;
        pump();
      }, Duration.ofNanos(Math.max(0, nextRetry - now)));
    }
    updateStatus();
  }

  /** The record this device stores for {@code change} (see {@link Decision.Change#recordedBy}). */
  private FileRecord recorded(Decision.Change change) {
    return change.recordedBy(self, clock.instant().getEpochSecond());
  }

  /** The best remote version to apply at {@code path} now, and the decision to apply it. */
  private Optional<Reconciler.Choice> chooseTarget(RelativePath path) {
    Map<DeviceId, FileRecord> remotes = new java.util.LinkedHashMap<>();
    for (DeviceId peer : knownPeers) {
      store.remote(peer, path).ifPresent(r -> remotes.put(peer, r));
    }
    return reconciler.choose(local(path).map(LocalEntry::record), remotes);
  }

  private void startPull(Need need) {
    RelativePath path = need.path;
    Optional<Reconciler.Choice> choice = chooseTarget(path);
    if (choice.isEmpty()) {
      needs.remove(path);
      removeEmptyDeletedFolders(path.parent()); // an abandoned download's folder
      return;
    }
    DeviceId from = choice.get().from();
    Decision.Change d = choice.get().decision();
    Optional<LocalEntry> before = local(path);
    if (before.isPresent() && d.changesNothingOnDisk(before.get().record())) {
      write(new StoreBatch().putLocal(new LocalEntry(recorded(d).withSequence(++lastSequence), before.get().stat())));
      needs.remove(path);
      pushAll();
      return;
    }
    Decision.Apply apply = (Decision.Apply) d;
    FileRecord target = apply.result();
    if (!target.deleted()) {
      try {
        makeFoldersAbove(path, from);
      } catch (IOException | RuntimeException e) {
        failed(need, e);
        return;
      }
    }
    Optional<LocalEntry> local = local(path);
    if (!target.deleted() && target.kind() == FileKind.FILE
        && !(local.isPresent() && local.get().record().isLiveFile()
            && local.get().record().contentHash().equals(target.contentHash()) && apply.conflictCopy().isEmpty())) {
      pulling.add(path);
      new Pull(need, from, apply).begin();
      return;
    }
    // Folders, links, deletes and metadata-only changes: short disk operations, done here.
    try {
      commit(apply, from, null, null, 0, 0);
    } catch (IOException | RuntimeException e) {
      failed(need, e);
    }
    needs.requeue(path, nowNanos()); // unless resolved
  }

  /**
   * Removes the folders above a path that the index holds as deleted and that hold nothing but
   * leftovers of downloads. Such a folder was made on disk only to hold a child (or its temp
   * file) whose version arrived after the folder's own delete (an older version, from a peer
   * that had not seen the delete yet); left standing once that child is deleted or its download
   * given up, the next full scan would take it for a folder made here and bring the deleted
   * one back on every device (found by the cluster simulator). A folder that holds anything
   * else, or a download in progress, stays. Called when a path is deleted or a download of it
   * ends without a file; one index lookup when there is nothing to do. Control thread.
   */
  private void removeEmptyDeletedFolders(Optional<RelativePath> start) {
    for (Optional<RelativePath> p = start; p.isPresent(); p = p.get().parent()) {
      Optional<LocalEntry> entry = local(p.get());
      if (entry.isEmpty() || !entry.get().record().deleted()) {
        return;
      }
      Path dir = disk.resolve(p.get());
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      RelativePath folder = p.get();
      if (pulling.stream().anyMatch(folder::contains)) {
        return; // a download into it is under way: it will call again when done
      }
      try {
        disk.deleteTempFilesIn(dir);
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        log.debug("could not remove the empty folder {}, deleted in the index: {}", p.get(), e.toString());
        return;
      }
    }
  }

  /**
   * Carries out a decision on disk and records it, after checking that the disk still holds
   * what the index says. Control thread.
   *
   * @param temp for a file, the finished temp file to rename into place
   * @param tempAs the version whose modification time and executable bit the temp file was given
   */
  private void commit(Decision.Apply apply, DeviceId from, Path temp, FileRecord tempAs, long fetched, long reused)
      throws IOException {
    FileRecord target = recorded(apply);
    RelativePath path = target.path();
    disk.checkNoLinkAbove(path);
    Optional<LocalEntry> local = local(path);
    Path file = disk.resolve(path);
    Optional<Observed> onDisk = disk.observe(file);
    // A folder this node has no record of, made when something inside it arrived first: it is
    // the folder this version describes, not a local change.
    boolean madeForChild = local.isEmpty() && onDisk.isPresent() && onDisk.get().kind() == FileKind.DIRECTORY
        && (!target.deleted() && target.kind() == FileKind.DIRECTORY || target.deleted() && madeForDownloads.contains(path));
    if (madeForChild && target.deleted() && !holdsOnlyDownloads(file)) {
      // Something lives in it now: it is needed, and the scan below records it as a folder of
      // this device's (a folder needed for a child wins over the removal).
      madeForDownloads.remove(path);
      madeForChild = false;
    }
    if (!madeForChild && !diskMatchesIndex(local, onDisk)) {
      // Someone changed the path since the index last looked: record that first. The next
      // decision then sees it, and a concurrent edit becomes a conflict, never a lost write.
      log.info("{} changed on disk during sync; rescanning before applying the peer's version", path);
      requestScan(List.of(path));
      Need n = needs.get(path);
      if (n != null) {
        n.notBeforeNanos = nowNanos() + options.quietWindow().toNanos();
      }
      return;
    }
    if (apply.conflictCopy().isPresent() && onDisk.isPresent()) {
      FileRecord loser = local.get().record();
      ConflictCopies.Placement copy = ConflictCopies.place(apply.conflictCopy().get(), loser, c -> slot(c, loser));
      if (copy instanceof ConflictCopies.Placement.AlreadyKept) {
        log.info("conflict on {}: our version is already kept as {}", path, copy.path());
      } else {
        keepCopy(loser, copy.path(), from);
        onDisk = Optional.empty();
      }
    }
    if (target.deleted()) {
      if (onDisk.isPresent()) {
        if (onDisk.get().kind() == FileKind.DIRECTORY) {
          disk.deleteTempFilesIn(file); // a failed download's leftovers must not keep it alive
          Files.delete(file); // fails while it holds anything: retried after its contents go
        } else {
          Files.delete(file);
        }
      }
      stage(LocalEntry.withoutStat(target.withSequence(++lastSequence)), file.getParent());
      removeEmptyDeletedFolders(path.parent());
      if (onDisk.isPresent()) {
        afterFlush.add(() -> emit(new SyncEvent.FileDeleted(path, from)));
      }
    } else {
      makeFoldersFor(file.getParent());
      switch (target.kind()) {
        case DIRECTORY -> {
          if (onDisk.isPresent() && onDisk.get().kind() != FileKind.DIRECTORY) {
            Files.delete(file);
          }
          Files.createDirectories(file);
        }
        case SYMLINK -> {
          if (onDisk.isPresent()) {
            Files.delete(file);
          }
          Files.createSymbolicLink(file, file.getFileSystem().getPath(target.symlinkTarget()));
        }
        case FILE -> {
          if (temp != null) {
            if (onDisk.isPresent() && onDisk.get().kind() == FileKind.DIRECTORY) {
              Files.delete(file);
            }
            // The target may have been chosen afresh since the temp file was finished: the same
            // content, but perhaps another time or executable bit.
            if (tempAs.executable() != target.executable()) {
              disk.setExecutable(temp, target.executable());
            }
            if (tempAs.modifiedNanos() != target.modifiedNanos()) {
              disk.setModified(temp, target.modifiedNanos());
            }
            disk.moveAtomically(temp, file);
          } else {
            // Same content already here: only the metadata changes.
            disk.setExecutable(file, target.executable());
            disk.setModified(file, target.modifiedNanos());
          }
        }
      }
      Observed now = disk.observe(file).orElseThrow(() -> new NoSuchFileException(file.toString()));
      stage(LocalEntry.of(target.withSequence(++lastSequence), now.stat()), file.getParent());
      afterFlush.add(() -> emit(new SyncEvent.FileUpdated(path, from, fetched, reused)));
    }
    needs.remove(path);
    madeForDownloads.remove(path); // it has a record of its own now
    afterFlush.add(() -> {
      if (path.toString().equals(IgnoreRules.FILE_NAME)) {
        reloadIgnores();
      }
      recheckPath(path);
    });
  }

  // ---------------------------------------------------------------- group commit

  /*
   * Files pulled in quick succession are committed together: each is checked and renamed into
   * place at once (staged), but the folder fsyncs and the (synced) store write happen once for
   * the whole group, and on an I/O thread (a flight): the control thread goes on deciding,
   * renaming and answering while the disk syncs. One flight at a time, so store writes keep
   * their order; what is staged meanwhile goes in the next flight, which is the larger for it.
   * Until a flight has landed, its entries and the staged ones overlay the store for every
   * read on the control thread (local()). Any other write lands the flight and the staged
   * entries first, on the control thread, so sequence numbers reach the store in order, and
   * no index push happens while anything is unwritten. A crash between a rename and the landing
   * leaves a file newer than its index entry; the next scan records it as a local version with
   * the same content as the peer's, which merges (no data moves, nothing is lost).
   */

  private StoreBatch pendingBatch = new StoreBatch();
  private Map<RelativePath, LocalEntry> pendingLocal = new HashMap<>();
  private final Set<Path> pendingDirs = new HashSet<>();
  private final List<Runnable> afterFlush = new ArrayList<>();
  private boolean flushPosted;
  /** The staged commits being made durable on an I/O thread, or null. */
  private Flight flight;

  /** One group of staged commits on its way to disk and store. */
  private final class Flight {
    final StoreBatch batch;
    final Set<Path> dirs;
    final Map<RelativePath, LocalEntry> entries;
    final List<Runnable> followUps;
    /** Guarded by this flight's monitor: whoever gets there first writes it, once. */
    private boolean written;
    private RuntimeException error;

    Flight(StoreBatch batch, Set<Path> dirs, Map<RelativePath, LocalEntry> entries, List<Runnable> followUps) {
      this.batch = batch;
      this.dirs = dirs;
      this.entries = entries;
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

  /** The local entry at {@code path}, including changes staged or in flight but not yet in the store. */
  private Optional<LocalEntry> local(RelativePath path) {
    LocalEntry staged = pendingLocal.get(path);
    if (staged == null && flight != null) {
      staged = flight.entries.get(path);
    }
    return staged != null ? Optional.of(staged) : store.local(path);
  }

  private void stage(LocalEntry entry, Path dir) {
    RelativePath path = entry.record().path();
    boolean wasLive = local(path).map(e -> !e.record().deleted()).orElse(false);
    liveFiles += (entry.record().deleted() ? 0 : 1) - (wasLive ? 1 : 0);
    pendingBatch.putLocal(entry);
    pendingLocal.put(path, entry);
    pendingDirs.add(dir);
    if (!flushPosted) {
      flushPosted = true;
      post(this::flushPending);
    }
  }

  /**
   * Sends the staged commits off to be made durable, unless a flight is under way (its landing
   * sends them). Control thread.
   */
  private void flushPending() {
    flushPosted = false;
    if (flight != null || pendingBatch.isEmpty() || closed) {
      return;
    }
    Flight f = takeOff();
    io.execute(() -> {
      f.write();
      post(() -> landed(f, true));
    });
  }

  /**
   * A flight's batch is in the store: drop its overlay, report a failure, run its follow-ups
   * (events, re-checks, index pushes) and send off what was staged meanwhile. Control thread.
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
      // The files are in place; the next scan records them (as local versions that merge).
      report(Optional.empty(), "recording pulled files failed: " + error.getMessage(), error);
      requestFullScan();
    }
    if (followUpsNow) {
      runFollowUps(f.followUps);
      flushPending();
    } else {
      post(() -> runFollowUps(f.followUps));
    }
  }

  private void runFollowUps(List<Runnable> actions) {
    actions.forEach(Runnable::run);
    pushAll();
    updateStatus();
  }

  /**
   * Lands everything not yet in the store, here and now: the flight (written here if its I/O
   * task has not begun; waited for if it has) and then the staged commits. Their follow-ups
   * are posted. Control thread; for writes that must come after them.
   */
  private void landAll() {
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

  /** Moves everything staged into a new flight, the one under way. Control thread. */
  private Flight takeOff() {
    Flight f = new Flight(pendingBatch, Set.copyOf(pendingDirs), pendingLocal, List.copyOf(afterFlush));
    pendingBatch = new StoreBatch();
    pendingLocal = new HashMap<>();
    pendingDirs.clear();
    afterFlush.clear();
    flight = f;
    return f;
  }

  /** Moves {@code loser}'s file to {@code copy} and records the copy in {@code batch}. */
  /** Moves the losing local version to its conflict copy's name and stages the copy's record. */
  private void keepCopy(FileRecord loser, RelativePath copy, DeviceId winner) throws IOException {
    Path copyFile = disk.resolve(copy);
    if (Files.exists(copyFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("conflict copy " + copy + " already exists; not overwriting it");
    }
    disk.moveAtomically(disk.resolve(loser.path()), copyFile);
    FileRecord copyRecord = new FileRecord(copy, loser.kind(), loser.size(), loser.modifiedNanos(),
        loser.executable(), loser.blocks(), loser.contentHash(), loser.symlinkTarget(),
        VersionVector.empty().increment(self, clock.instant().getEpochSecond()), self, false, 0, ++lastSequence);
    stage(LocalEntry.of(copyRecord, disk.observe(copyFile).orElseThrow().stat()), copyFile.getParent());
    afterFlush.add(() -> emit(new SyncEvent.ConflictCopyCreated(loser.path(), copy, winner)));
    log.info("conflict on {}: kept our version as {}", loser.path(), copy);
  }


  /**
   * Makes every folder above {@code path} a folder: a folder needed to hold a synced path beats
   * a file at its name, as the reconciler's folder-first rule has it for concurrent
   * versions (here the file may follow an older folder, unaware of what was added inside it
   * meanwhile). The file is kept as a conflict copy, and the folder recorded as our own new
   * version of that path, which peers then take. Control thread.
   */
  private void makeFoldersAbove(RelativePath path, DeviceId from) throws IOException {
    for (RelativePath above : path.ancestors()) {
      Optional<LocalEntry> local = local(above);
      Optional<FileRecord> folder = Reconciler.folderReplacing(local.map(LocalEntry::record), self, nowNanos(),
          clock.instant().getEpochSecond());
      if (folder.isEmpty()) {
        continue;
      }
      Optional<Observed> onDisk = disk.observe(above);
      if (!diskMatchesIndex(local, onDisk)) {
        requestScan(List.of(above));
        throw new IOException(above + " changed on disk; rescanning it first");
      }
      FileRecord loser = local.get().record();
      ConflictCopies.Placement copy = ConflictCopies.place(ConflictCopies.pathFor(loser), loser, c -> slot(c, loser));
      if (copy instanceof ConflictCopies.Placement.AlreadyKept) {
        Files.delete(disk.resolve(above));
      } else {
        keepCopy(loser, copy.path(), from);
      }
      Files.createDirectory(disk.resolve(above));
      stage(LocalEntry.of(folder.get().withSequence(++lastSequence), disk.observe(above).orElseThrow().stat()),
          disk.resolve(above).getParent());
    }
  }

  /** What the name {@code copy} holds here, for keeping {@code loser} there. */
  private ConflictCopies.Slot slot(RelativePath copy, FileRecord loser) throws IOException {
    if (alreadyKept(copy, loser)) {
      return ConflictCopies.Slot.HOLDS_LOSER;
    }
    return Files.exists(disk.resolve(copy), LinkOption.NOFOLLOW_LINKS) ? ConflictCopies.Slot.TAKEN : ConflictCopies.Slot.FREE;
  }

  /** Whether {@code copy} holds {@code loser}'s content already, by the index and on disk. */
  private boolean alreadyKept(RelativePath copy, FileRecord loser) throws IOException {
    Optional<LocalEntry> entry = local(copy);
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

  private void failed(Need need, Throwable e) {
    need.failures++;
    long backoff = options.retryDelay().toNanos() * Math.min(need.failures, 6);
    need.notBeforeNanos = nowNanos() + backoff;
    String why = e instanceof DirectoryNotEmptyException ? "folder not empty yet" : String.valueOf(e.getMessage());
    if (!(e instanceof DirectoryNotEmptyException) || need.failures > 3) {
      report(Optional.of(need.path), "sync failed, will retry: " + why, e);
    }
    if (e instanceof DirectoryNotEmptyException) {
      need.notBeforeNanos = nowNanos() + options.quietWindow().toNanos() * need.failures;
    }
    if (!pulling.contains(need.path)) {
      needs.requeue(need.path, nowNanos());
    }
    post(this::pump);
  }

  /** Pulling one file: assemble on I/O threads, fetch what is missing, commit on control. */
  private final class Pull {
    private final Need need;
    private final DeviceId from;
    private final Decision.Apply apply;
    private final FileRecord target;
    private final FileAssembly assembly;
    /** Blocks still to request, last first (removing from the end of the list is O(1)). */
    private final List<BlockInfo> queue = new ArrayList<>();
    private PeerLink source;
    private int outstanding;
    private long fetched;
    private boolean failed;
    /**
     * Blocks requested but not yet written; the I/O task that writes the last one also finishes
     * the temp file (written on I/O threads, set on control before the first request).
     */
    private final AtomicInteger unwritten = new AtomicInteger();
    /** The temp file is complete; {@link #complete} runs once every reply is accounted for. Control thread. */
    private boolean finished;

    Pull(Need need, DeviceId from, Decision.Apply apply) {
      this.need = need;
      this.from = from;
      this.apply = apply;
      this.target = apply.result();
      this.assembly = new FileAssembly(disk, store, target, inline);
    }

    void begin() {
      io.execute(() -> {
        try {
          disk.checkNoLinkAbove(target.path());
          makeFoldersFor(assembly.temp().getParent());
          List<BlockInfo> missing = assembly.prepare(io);
          if (missing.isEmpty()) {
            // Everything was here already (a resumed download, blocks of other files).
            assembly.finish();
            post(this::complete);
            return;
          }
          unwritten.set(missing.size());
          post(() -> {
            queue.addAll(missing);
            java.util.Collections.reverse(queue); // request in file order, popping from the end
            request();
          });
        } catch (IOException | RuntimeException e) {
          post(() -> fail(e));
        }
      });
    }

    /** Issues block requests while the byte budget allows. Control thread. */
    private void request() {
      if (failed) {
        return;
      }
      while (!queue.isEmpty() && (outstanding == 0 || bytesInFlight + queue.get(queue.size() - 1).length() <= options.maxBytesInFlight())) {
        BlockInfo block = queue.remove(queue.size() - 1);
        PeerLink link = source();
        if (link == null) {
          fail(new IOException("no connected peer has this version"));
          return;
        }
        outstanding++;
        bytesInFlight += block.length();
        link.requestBlock(new BlockRequest(target.path(), block.offset(), block.length(), block.hash()))
            .whenComplete((reply, err) -> received(block, reply, err));
      }
    }

    /**
     * The link blocks are fetched over: chosen once per pull (looking a peer's record up decodes
     * its whole block list, far too much work per block of a large file) and chosen again only
     * if that link is gone.
     */
    private PeerLink source() {
      if (source != null && sessions.containsKey(source.peer()) && sessions.get(source.peer()).link == source) {
        return source;
      }
      source = sourceFor();
      return source;
    }

    private PeerLink sourceFor() {
      PeerSession preferred = sessions.get(from);
      if (preferred != null && has(from)) {
        return preferred.link;
      }
      for (Map.Entry<DeviceId, PeerSession> e : sessions.entrySet()) {
        if (has(e.getKey())) {
          return e.getValue().link;
        }
      }
      return null;
    }

    private boolean has(DeviceId peer) {
      return store.remote(peer, target.path())
          .map(r -> r.isLiveFile() && r.contentHash().equals(target.contentHash())).orElse(false);
    }

    /** Any thread: verify and write on I/O, account on control. */
    private void received(BlockInfo block, BlockReply reply, Throwable err) {
      if (err != null || !(reply instanceof BlockReply.Data data)) {
        String why = err != null ? String.valueOf(err.getMessage())
            : ((BlockReply.Failure) reply).error() + " " + ((BlockReply.Failure) reply).detail();
        post(() -> {
          release(block);
          fail(new IOException("block at " + block.offset() + ": " + why));
        });
        return;
      }
      io.execute(() -> {
        boolean ok;
        boolean last = false;
        Exception error = null;
        try {
          ok = assembly.write(block, data.bytes());
          if (ok && unwritten.decrementAndGet() == 0) {
            // The last block: finish the file here rather than in one more pair of hops.
            assembly.finish();
            last = true;
          }
        } catch (IOException | RuntimeException e) {
          ok = false;
          error = e;
        }
        boolean written = ok;
        boolean done = last;
        Exception writeError = error;
        post(() -> {
          release(block);
          if (!written) {
            fail(writeError != null ? writeError : new IOException("block at " + block.offset() + " failed verification"));
            return;
          }
          fetched += block.length();
          finished |= done;
          if (!finished) {
            request();
          } else if (outstanding == 0 && !failed) {
            complete(); // the replies of earlier blocks may be posted after the last one's
          }
        });
      });
    }

    private void release(BlockInfo block) {
      outstanding--;
      bytesInFlight -= block.length();
    }

    private void complete() {
      pulling.remove(target.path());
      if (closed) {
        return;
      }
      try {
        // Decide again: the local or remote side may have moved on while we fetched.
        Optional<Reconciler.Choice> now = chooseTarget(target.path());
        if (now.isPresent() && now.get().decision() instanceof Decision.Apply a
            && a.result().contentHash().equals(target.contentHash()) && !a.result().deleted()
            && a.result().kind() == FileKind.FILE) {
          commit(a, now.get().from(), assembly.temp(), target, fetched + assembly.bytesInline, assembly.bytesReused);
        } else {
          Files.deleteIfExists(assembly.temp());
          removeEmptyDeletedFolders(target.path().parent());
        }
      } catch (IOException | RuntimeException e) {
        failed(need, e);
        return;
      }
      needs.requeue(target.path(), nowNanos()); // unless resolved
      pump();
    }

    private void fail(Throwable e) {
      if (failed) {
        return;
      }
      failed = true;
      assembly.close();
      if (outstanding == 0) {
        pulling.remove(target.path());
        failed(need, e);
      } else {
        // Wait for the outstanding replies before letting the path be pulled again.
        control.schedule(() -> fail2(e), Duration.ofMillis(10));
      }
    }

    private void fail2(Throwable e) {
      if (outstanding > 0) {
        control.schedule(() -> fail2(e), Duration.ofMillis(10));
        return;
      }
      pulling.remove(target.path());
      failed(need, e);
    }
  }

  // ---------------------------------------------------------------- status and events

  /**
   * Applies a batch, keeping the count of live local paths current: the status needs it and
   * counting the index on every change would cost O(files).
   */
  private void write(StoreBatch batch) {
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
  }

  private void updateStatus() {
    Set<DeviceId> peers = knownPeers;
    List<PeerStatus> list = new ArrayList<>();
    for (DeviceId p : peers) {
      PeerSession s = sessions.get(p);
      long[] c = needs.totals(p);
      long received = store.position(p).sequence();
      list.add(new PeerStatus(p, peerNames.getOrDefault(p, ""), s != null, c[0], c[1],
          s != null ? s.peerSequence : received, received));
    }
    list.sort((a, b) -> a.peer().compareTo(b.peer()));
    status = new SyncStatus(self, liveFiles, lastSequence, needs.size(), list);
  }

  private void emit(SyncEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a sync listener threw on {}", event, e);
    }
  }

  private void report(Optional<RelativePath> path, String message, Throwable cause) {
    log.warn("{}{}", path.map(p -> p + ": ").orElse(""), message);
    emit(new SyncEvent.Error(path, message, Optional.ofNullable(cause)));
  }

  /** Runs {@code task} on the control thread; after close, a refused task is dropped. */
  private void post(Runnable task) {
    try {
      control.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private long nowNanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
