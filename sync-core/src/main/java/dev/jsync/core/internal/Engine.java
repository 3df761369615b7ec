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
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

  // Control-thread state.
  private volatile long epoch;
  private volatile long lastSequence;
  private IgnoreRules ignores = IgnoreRules.defaults();
  private final Map<DeviceId, PeerSession> sessions = new HashMap<>();
  private final Map<DeviceId, String> peerNames = new HashMap<>();
  private final Map<RelativePath, Need> needs = new LinkedHashMap<>();
  private final Set<RelativePath> pulling = new HashSet<>();
  private long bytesInFlight;
  private boolean scanRunning;
  private int scanChanges;
  private boolean fullScanPending;
  private final Set<RelativePath> pendingPaths = new HashSet<>();
  private Scheduler.Cancellable flushTimer;
  private long firstPendingNanos;
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
    this.scanner = new Scanner(disk, store);
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
      } catch (Exception e) {
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
    // Needs are not persisted: rebuild them from what the peers' indexes say.
    for (DeviceId peer : store.peers()) {
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
        forgetOldTombstones();
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
    // Coalesce a burst: wait for a quiet window, but never longer than the cap after the first
    // event, so a file written continuously still syncs.
    long waited = now - firstPendingNanos;
    long capLeft = options.maxEventDelay().toNanos() - waited;
    long delay = Math.max(0, Math.min(options.quietWindow().toNanos(), capLeft));
    cancel(flushTimer);
    flushTimer = control.schedule(() -> {
      flushTimer = null;
      startScanIfIdle();
    }, Duration.ofNanos(delay));
  }

  private RelativePath toRelative(Path absolute) {
    Path rel;
    try {
      rel = disk.root().relativize(absolute);
    } catch (IllegalArgumentException e) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (Path part : rel) {
      b.append(b.length() == 0 ? "" : "/").append(part);
    }
    try {
      return RelativePath.of(b.toString());
    } catch (InvalidRelativePathException e) {
      return null; // our state folder, our temp files, or a name we cannot sync
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
    emit(new SyncEvent.ScanFinished(full, changes, Duration.ofNanos(nowNanos() - t0)));
    if (changes > 0) {
      pushAll();
    }
    updateStatus();
    startScanIfIdle();
    pump();
  }

  private int applyScan(List<ScanItem> items) {
    StoreBatch batch = new StoreBatch();
    int versions = 0;
    boolean ignoreFileChanged = false;
    for (ScanItem item : items) {
      Optional<LocalEntry> current = store.local(item.path());
      if (!current.equals(item.base())) {
        pendingPaths.add(item.path()); // the index moved on while we looked: look again
        continue;
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
        if (base.isPresent() && base.get().isLiveFile() && base.get().contentHash().equals(c.contentHash())
            && base.get().executable() == o.executable()) {
          // Only the time changed (a touch, or our own write read back at coarser precision):
          // remember the new stat, announce nothing.
          yield null;
        }
        yield FileRecord.file(item.path(), c.size(), o.stat().modifiedNanos(), o.executable(), c.blocks(),
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
    Set<DeviceId> peers = store.peers();
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
    return new Hello(options.deviceName(), epoch, lastSequence, store.position(peer));
  }

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
      peerNames.put(peer, theirs.deviceName());
      log.info("connected to {} ({}), sending our index from sequence {}", theirs.deviceName(), peer.shortId(), from);
      emit(new SyncEvent.PeerConnected(peer, theirs.deviceName()));
      push(session);
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
  public void indexReceived(PeerLink link, IndexUpdate update) {
    post(() -> {
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
    });
  }

  private void receiveIndex(PeerSession session, IndexUpdate update) {
    DeviceId peer = session.link.peer();
    IndexPosition pos = store.position(peer);
    StoreBatch batch = new StoreBatch();
    if (update.indexEpoch() != pos.epoch()) {
      if (update.previousSequence() != 0) {
        session.link.close("index epoch changed mid-stream");
        return;
      }
      // The peer's index is new to us (first contact, or it was reset): start over.
      batch.clearRemote(peer);
      pos = new IndexPosition(update.indexEpoch(), 0);
    }
    if (update.previousSequence() != pos.sequence()) {
      session.link.close("index gap: have " + pos.sequence() + ", batch starts after " + update.previousSequence());
      return;
    }
    boolean localChanged = false;
    for (FileRecord r : update.records()) {
      batch.putRemote(peer, r);
    }
    batch.setPosition(peer, new IndexPosition(update.indexEpoch(), update.lastSequence()));
    write(batch);
    session.peerSequence = Math.max(session.peerSequence, update.lastSequence());
    StoreBatch adopts = new StoreBatch();
    for (FileRecord r : update.records()) {
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
   * Puts one remote record to the reconciler. Adoptions (merged histories, nothing to move) go
   * into {@code adopts} when given; anything to pull becomes a need.
   *
   * @return whether the local index changed
   */
  private boolean considerRemote(DeviceId peer, FileRecord r, StoreBatch adopts) {
    if (ignores.isIgnoredWithAncestors(r.path(), !r.deleted() && r.kind() == FileKind.DIRECTORY)) {
      return false;
    }
    Optional<LocalEntry> local = store.local(r.path());
    Decision d = reconciler.decide(local.map(LocalEntry::record), r);
    if (d instanceof Decision.Adopt a && adopts != null) {
      adopts.putLocal(new LocalEntry(recorded(a).withSequence(++lastSequence), local.get().stat()));
      return true;
    }
    if (d instanceof Decision.Apply || d instanceof Decision.Adopt) {
      Need n = needs.get(r.path());
      if (n == null) {
        needs.put(r.path(), new Need(r.path(), peer, r.size(), r.deleted()));
      } else {
        n.from = peer;
        n.bytes = r.size();
        n.delete = r.deleted();
      }
    }
    return false;
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    io.execute(() -> reply.accept(serveBlock(request)));
  }

  /** Reads a block for a peer, only from a live, non-ignored file in the index. I/O thread. */
  private BlockReply serveBlock(BlockRequest request) {
    if (request.length() > BlockInfo.SIZE) {
      return BlockReply.failure(BlockError.INVALID_REQUEST, "block longer than " + BlockInfo.SIZE);
    }
    if (ignores.isIgnoredWithAncestors(request.path(), false)) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "ignored");
    }
    Optional<LocalEntry> entry = store.local(request.path());
    if (entry.isEmpty() || !entry.get().record().isLiveFile()) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "not a file here");
    }
    byte[] data = new byte[request.length()];
    try (FileChannel ch = FileChannel.open(disk.resolve(request.path()), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      long pos = request.offset();
      while (buf.hasRemaining()) {
        int r = ch.read(buf, pos);
        if (r < 0) {
          return BlockReply.failure(BlockError.CHANGED, "file is shorter now");
        }
        pos += r;
      }
    } catch (NoSuchFileException e) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "gone");
    } catch (IOException e) {
      return BlockReply.failure(BlockError.IO_ERROR, String.valueOf(e.getMessage()));
    }
    if (!request.hash().matches(dev.jsync.core.Sha256.newDigest().digest(data))) {
      return BlockReply.failure(BlockError.CHANGED, "content changed");
    }
    return BlockReply.data(data);
  }

  // ---------------------------------------------------------------- sending the index

  private void pushAll() {
    for (PeerSession s : sessions.values()) {
      push(s);
    }
  }

  private void push(PeerSession s) {
    if (s.sending || closed || s.sentUpTo >= lastSequence) {
      return;
    }
    List<FileRecord> records = store.localSince(s.sentUpTo, options.indexBatchRecords());
    long upTo = records.size() < options.indexBatchRecords() ? lastSequence : records.get(records.size() - 1).sequence();
    DeviceId peer = s.link.peer();
    List<FileRecord> useful = new ArrayList<>(records.size());
    for (FileRecord r : records) {
      // Skip what the peer itself told us it has: echoing it back would change nothing.
      Optional<FileRecord> theirs = store.remote(peer, r.path());
      if (theirs.isEmpty() || !theirs.get().version().equals(r.version())) {
        useful.add(r);
      }
    }
    IndexUpdate update = new IndexUpdate(epoch, s.sentUpTo, upTo, useful);
    s.sending = true;
    s.link.sendIndex(update).whenComplete((ok, err) -> post(() -> {
      s.sending = false;
      if (err == null) {
        s.sentUpTo = upTo;
        push(s);
      }
    }));
  }

  // ---------------------------------------------------------------- pulling

  /** Re-evaluates one path against every peer's record, e.g. after it changed locally. */
  private void recheckPath(RelativePath path) {
    for (DeviceId peer : store.peers()) {
      store.remote(peer, path).ifPresent(r -> considerRemote(peer, r, null));
    }
  }

  private void pump() {
    if (closed || !started) {
      return;
    }
    long now = nowNanos();
    long nextRetry = Long.MAX_VALUE;
    List<Need> ready = new ArrayList<>();
    List<Need> deletes = new ArrayList<>();
    for (Need n : needs.values()) {
      if (pulling.contains(n.path)) {
        continue;
      }
      if (n.notBeforeNanos > now) {
        nextRetry = Math.min(nextRetry, n.notBeforeNanos);
        continue;
      }
      if (n.delete) {
        deletes.add(n);
      } else if (pulling.size() + ready.size() < options.maxFilesInFlight()) {
        ready.add(n);
      }
    }
    for (Need n : ready) {
      startPull(n);
    }
    if (pulling.isEmpty() && ready.isEmpty()) {
      // Deletes go last, deepest first: a pull may still take blocks from a file about to be
      // deleted (a rename is a delete plus a create), and a folder empties before it goes.
      deletes.sort((x, y) -> Integer.compare(y.path.depth(), x.path.depth()));
      for (Need n : deletes) {
        startPull(n);
      }
    }
    if (nextRetry != Long.MAX_VALUE && pumpTimer == null) {
      pumpTimer = control.schedule(() -> {
        pumpTimer = null;
        pump();
      }, Duration.ofNanos(nextRetry - now));
    }
    updateStatus();
  }

  /**
   * The record to store for a decision's result. One that rests on which content a side had
   * seen is recorded as our own change: another device may merge the same histories the other
   * way round, and two different records must never share a version vector.
   */
  private FileRecord recorded(Decision d) {
    FileRecord result = resultOf(d);
    return d.reason() == Decision.Reason.REMOTE_SAW_LOCAL ? result.withVersion(nextVersion(Optional.of(result))) : result;
  }

  /** The best remote version to apply at {@code path} now, and the decision to apply it. */
  private Optional<Map.Entry<DeviceId, Decision>> chooseTarget(RelativePath path) {
    Optional<FileRecord> local = store.local(path).map(LocalEntry::record);
    Map.Entry<DeviceId, Decision> best = null;
    for (DeviceId peer : store.peers()) {
      Optional<FileRecord> r = store.remote(peer, path);
      if (r.isEmpty()) {
        continue;
      }
      Decision d = reconciler.decide(local, r.get());
      if (d instanceof Decision.Keep) {
        continue;
      }
      FileRecord result = d instanceof Decision.Apply a ? a.result() : ((Decision.Adopt) d).result();
      if (best == null || result.version().compare(resultOf(best.getValue()).version()) == dev.jsync.core.Causality.AFTER) {
        best = Map.entry(peer, d);
      }
    }
    return Optional.ofNullable(best);
  }

  private static FileRecord resultOf(Decision d) {
    return d instanceof Decision.Apply a ? a.result() : ((Decision.Adopt) d).result();
  }

  private void startPull(Need need) {
    RelativePath path = need.path;
    Optional<Map.Entry<DeviceId, Decision>> choice = chooseTarget(path);
    if (choice.isEmpty()) {
      needs.remove(path);
      return;
    }
    DeviceId from = choice.get().getKey();
    Decision d = choice.get().getValue();
    if (d instanceof Decision.Adopt a) {
      Optional<LocalEntry> local = store.local(path);
      write(new StoreBatch().putLocal(new LocalEntry(recorded(a).withSequence(++lastSequence),
          local.map(LocalEntry::stat).orElse(Optional.empty()))));
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
    Optional<LocalEntry> local = store.local(path);
    if (!target.deleted() && target.kind() == FileKind.FILE
        && !(local.isPresent() && local.get().record().isLiveFile()
            && local.get().record().contentHash().equals(target.contentHash()) && apply.conflictCopy().isEmpty())) {
      pulling.add(path);
      new Pull(need, from, apply).begin();
      return;
    }
    // Folders, links, deletes and metadata-only changes: short disk operations, done here.
    try {
      commit(apply, from, null, 0, 0);
    } catch (IOException | RuntimeException e) {
      failed(need, e);
    }
  }

  /**
   * Carries out a decision on disk and records it, after checking that the disk still holds
   * what the index says. Control thread.
   *
   * @param temp for a file, the finished temp file to rename into place
   */
  private void commit(Decision.Apply apply, DeviceId from, Path temp, long fetched, long reused) throws IOException {
    FileRecord target = recorded(apply);
    RelativePath path = target.path();
    disk.checkNoLinkAbove(path);
    Optional<LocalEntry> local = store.local(path);
    Path file = disk.resolve(path);
    Optional<Observed> onDisk = disk.observe(file);
    // A folder this node has no record of, made when something inside it arrived first: it is
    // the folder this version describes, not a local change.
    boolean madeForChild = local.isEmpty() && !target.deleted() && target.kind() == FileKind.DIRECTORY
        && onDisk.isPresent() && onDisk.get().kind() == FileKind.DIRECTORY;
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
    StoreBatch batch = new StoreBatch();
    Optional<RelativePath> keepAs = apply.conflictCopy();
    if (keepAs.isPresent() && onDisk.isPresent() && Files.exists(disk.resolve(keepAs.get()), LinkOption.NOFOLLOW_LINKS)
        && !alreadyKept(keepAs.get(), local.get().record())) {
      // Another version holds the name (its author saved twice within that second).
      keepAs = Optional.of(ConflictCopies.alternativePathFor(local.get().record()));
    }
    if (keepAs.isPresent() && onDisk.isPresent() && alreadyKept(keepAs.get(), local.get().record())) {
      // Another device kept this same loser under this same name, and its copy synced here
      // first: the content is safe, so the winner may replace ours without a second copy.
      log.info("conflict on {}: our version is already kept as {}", path, keepAs.get());
    } else if (keepAs.isPresent() && onDisk.isPresent()) {
      keepCopy(local.get().record(), keepAs.get(), from, batch);
      onDisk = Optional.empty();
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
      batch.putLocal(LocalEntry.withoutStat(target.withSequence(++lastSequence)));
      write(batch);
      if (onDisk.isPresent()) {
        emit(new SyncEvent.FileDeleted(path, from));
      }
    } else {
      Files.createDirectories(file.getParent());
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
            disk.setExecutable(temp, target.executable());
            disk.setModified(temp, target.modifiedNanos());
            disk.moveAtomically(temp, file);
          } else {
            // Same content already here: only the metadata changes.
            disk.setExecutable(file, target.executable());
            disk.setModified(file, target.modifiedNanos());
          }
        }
      }
      disk.fsyncDirectory(file.getParent());
      Observed now = disk.observe(file).orElseThrow(() -> new NoSuchFileException(file.toString()));
      batch.putLocal(LocalEntry.of(target.withSequence(++lastSequence), now.stat()));
      write(batch);
      emit(new SyncEvent.FileUpdated(path, from, fetched, reused));
    }
    needs.remove(path);
    if (path.toString().equals(IgnoreRules.FILE_NAME)) {
      reloadIgnores();
    }
    recheckPath(path);
    pushAll();
  }

  /** Moves {@code loser}'s file to {@code copy} and records the copy in {@code batch}. */
  private void keepCopy(FileRecord loser, RelativePath copy, DeviceId winner, StoreBatch batch) throws IOException {
    Path copyFile = disk.resolve(copy);
    if (Files.exists(copyFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("conflict copy " + copy + " already exists; not overwriting it");
    }
    disk.moveAtomically(disk.resolve(loser.path()), copyFile);
    FileRecord copyRecord = new FileRecord(copy, loser.kind(), loser.size(), loser.modifiedNanos(),
        loser.executable(), loser.blocks(), loser.contentHash(), loser.symlinkTarget(),
        VersionVector.empty().increment(self, clock.instant().getEpochSecond()), self, false, 0, ++lastSequence);
    batch.putLocal(LocalEntry.of(copyRecord, disk.observe(copyFile).orElseThrow().stat()));
    emit(new SyncEvent.ConflictCopyCreated(loser.path(), copy, winner));
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
      Optional<LocalEntry> local = store.local(above);
      if (local.isEmpty() || !local.get().record().isLiveFile()) {
        continue; // a link above is refused later: jSync never writes through one
      }
      Optional<Observed> onDisk = disk.observe(above);
      if (!diskMatchesIndex(local, onDisk)) {
        requestScan(List.of(above));
        throw new IOException(above + " changed on disk; rescanning it first");
      }
      FileRecord loser = local.get().record();
      StoreBatch batch = new StoreBatch();
      RelativePath copy = ConflictCopies.pathFor(loser);
      if (alreadyKept(copy, loser)) {
        Files.delete(disk.resolve(above));
      } else {
        if (Files.exists(disk.resolve(copy), LinkOption.NOFOLLOW_LINKS)) {
          copy = ConflictCopies.alternativePathFor(loser);
        }
        keepCopy(loser, copy, from, batch);
      }
      Files.createDirectory(disk.resolve(above));
      FileRecord folder = FileRecord.directory(above, nowNanos(), nextVersion(Optional.of(loser)), self);
      batch.putLocal(LocalEntry.of(folder.withSequence(++lastSequence), disk.observe(above).orElseThrow().stat()));
      write(batch);
      pushAll();
    }
  }

  /** Whether {@code copy} holds {@code loser}'s content already, by the index and on disk. */
  private boolean alreadyKept(RelativePath copy, FileRecord loser) throws IOException {
    Optional<LocalEntry> entry = store.local(copy);
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
    post(this::pump);
  }

  /** Pulling one file: assemble on I/O threads, fetch what is missing, commit on control. */
  private final class Pull {
    private final Need need;
    private final DeviceId from;
    private final Decision.Apply apply;
    private final FileRecord target;
    private final FileAssembly assembly;
    private final List<BlockInfo> queue = new ArrayList<>();
    private int outstanding;
    private long fetched;
    private boolean failed;

    Pull(Need need, DeviceId from, Decision.Apply apply) {
      this.need = need;
      this.from = from;
      this.apply = apply;
      this.target = apply.result();
      this.assembly = new FileAssembly(disk, store, target);
    }

    void begin() {
      io.execute(() -> {
        try {
          disk.checkNoLinkAbove(target.path());
          Files.createDirectories(assembly.temp().getParent());
          List<BlockInfo> missing = assembly.prepare();
          post(() -> {
            queue.addAll(missing);
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
      if (queue.isEmpty() && outstanding == 0) {
        io.execute(() -> {
          try {
            assembly.finish();
            post(this::complete);
          } catch (IOException | RuntimeException e) {
            post(() -> fail(e));
          }
        });
        return;
      }
      while (!queue.isEmpty() && (outstanding == 0 || bytesInFlight + queue.get(0).length() <= options.maxBytesInFlight())) {
        BlockInfo block = queue.remove(0);
        PeerLink link = sourceFor(block);
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

    private PeerLink sourceFor(BlockInfo block) {
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
        IOException error = null;
        try {
          ok = assembly.write(block, data.bytes());
        } catch (IOException e) {
          ok = false;
          error = e;
        }
        boolean written = ok;
        IOException writeError = error;
        post(() -> {
          release(block);
          if (!written) {
            fail(writeError != null ? writeError : new IOException("block at " + block.offset() + " failed verification"));
            return;
          }
          fetched += block.length();
          request();
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
        Optional<Map.Entry<DeviceId, Decision>> now = chooseTarget(target.path());
        if (now.isPresent() && now.get().getValue() instanceof Decision.Apply a
            && a.result().contentHash().equals(target.contentHash()) && !a.result().deleted()
            && a.result().kind() == FileKind.FILE) {
          commit(a, now.get().getKey(), assembly.temp(), fetched, assembly.bytesReused);
        } else {
          Files.deleteIfExists(assembly.temp());
        }
      } catch (IOException | RuntimeException e) {
        failed(need, e);
        return;
      }
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
    Map<DeviceId, long[]> perPeer = new HashMap<>();
    for (Need n : needs.values()) {
      long[] c = perPeer.computeIfAbsent(n.from, k -> new long[2]);
      c[0]++;
      c[1] += n.bytes;
    }
    Set<DeviceId> peers = new HashSet<>(store.peers());
    peers.addAll(sessions.keySet());
    List<PeerStatus> list = new ArrayList<>();
    for (DeviceId p : peers) {
      PeerSession s = sessions.get(p);
      long[] c = perPeer.getOrDefault(p, new long[2]);
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
