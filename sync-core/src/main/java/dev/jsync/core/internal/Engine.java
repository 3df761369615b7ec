package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncListener;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.ConnectionFailure;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync engine behind {@link dev.jsync.core.SyncNode}: wires its collaborators, runs its life
 * cycle and puts every event onto the control thread.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Threads.</b> All state lives on the control {@link Scheduler} and is touched only by
 * tasks running there, one at a time: sessions, needs, the sequence counter, the scan state.
 * Transport and watcher callbacks arrive on other threads and hop onto it ({@link #post}).
 * Blocking work that takes long (hashing during scans, assembling files from blocks, serving
 * blocks, reading inline files, the group commit's fsyncs) runs on the I/O executor, given what
 * it needs, and reports back to the control thread. Short disk operations that must not
 * interleave with index changes (the final check-and-rename of a pulled file, deletes, folder
 * creation) run on the control thread, so the index and the disk change together. Each
 * collaborator's class comment names its threads.
 *
 * <p><b>Collaborators</b>, in the order a saved file meets them (docs/architecture.md):
 * {@link WatchCoalescer} and {@link LocalChanges} (local versions), {@link IndexSender} and
 * {@link IndexReceiver} (index exchange), {@link Puller} and {@link Pull} (needs and fetching),
 * {@link BlockServer} (answering peers' block requests), {@link PeerEvents} (sessions opening and
 * closing), {@link Applier} (the disk),
 * {@link NoteMerges} (merge bases, and merging concurrent edits of notes),
 * {@link GroupCommit} (the local index and its writes), {@link StatusReporter}. The rule itself
 * ({@link dev.jsync.core.Reconciler}) is pure and lives in the core package. They all log under
 * this class's name.
 *
 * <p><b>States.</b> Created, then started ({@link #start}: the state loaded, the transport,
 * watcher and periodic scan running; pulls wait for the start-up scan), then closed (no new
 * work; what is staged is written; downloads keep their temp files).
 *
 * <p><b>Invariants.</b> A local record changes only if the index still says what the change was
 * based on (a scan's base, the final check before an apply). Sequence numbers reach the store in
 * order, and no index push announces a sequence the store does not hold. A need names a path
 * only: its target is chosen afresh from the peers' current records when its turn comes.
 *
 * <p><b>Ordering.</b> A received batch is stored (records and position) before any of its
 * records is decided. Applied changes are staged and written as a group; any other write lands
 * them first; their events, re-checks and pushes follow their landing. Deletes run after pulls,
 * deepest first. Until the start-up scan is done no pull starts; when it ends every need is
 * decided again.
 */
public final class Engine implements TransportHandler {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  static final String META_EPOCH = "index.epoch";

  private final DeviceId self;
  final DiskView disk;
  final IndexStore store;
  private final Transport transport;
  final Scheduler control;
  final Executor io;
  private final SyncOptions options;
  private final FolderWatcher watcher;
  private final RandomGenerator random;

  final StatusReporter reporter;
  final Peers peers = new Peers();
  final GroupCommit commits;
  final LocalChanges changes;
  final WatchCoalescer watch;
  final IndexReceiver receiver;
  final IndexSender sender;
  final Puller puller;
  final Applier applier;
  final NameGuard names;
  final NoteMerges merges;
  private final BlockServer blockServer;
  private final PeerEvents peerEvents;
  private final Clock clock;

  /** The local index's epoch: written once at start-up, read on transport threads too. */
  private volatile long epoch;
  private boolean started;
  private volatile boolean closed;
  /** Paused: no pull starts and no index is sent; links, scans and the block server go on. */
  private volatile boolean paused;

  public Engine(DeviceId self, DiskView disk, IndexStore store, Transport transport, Scheduler control, Executor io,
      Clock clock, SyncOptions options, SyncListener listener, FolderWatcher watcher, RandomGenerator random) {
    this.self = self;
    this.disk = disk;
    this.store = store;
    this.transport = transport;
    this.control = control;
    this.io = io;
    this.clock = clock;
    this.options = options;
    this.watcher = watcher;
    this.random = random;
    this.reporter = new StatusReporter(self, listener, store, this::nowNanos);
    this.commits = new GroupCommit(this, disk, store, io, options.scanInterval());
    this.changes = new LocalChanges(this, self, disk, store, control, io, clock, options);
    this.watch = new WatchCoalescer(this, control, options, disk.root());
    this.receiver = new IndexReceiver(this, store, control, options);
    this.sender = new IndexSender(this, disk, store, control, io, options);
    this.puller = new Puller(this, self, store, control, clock, options);
    this.applier = new Applier(this, self, disk, clock);
    this.names = new NameGuard(this, disk);
    this.merges = new NoteMerges(this, self, disk, store, io, clock, options.mergeable(), options.deviceName());
    this.blockServer = new BlockServer(disk, store, changes::ignores, this::nowNanos);
    this.peerEvents = new PeerEvents(this);
  }

  // ---------------------------------------------------------------- life cycle

  /** Sets the keeper called before a peer's change replaces or removes a file; before {@link #start()}. */
  public void versionKeeper(dev.jsync.core.history.VersionKeeper keeper) {
    applier.versionKeeper = java.util.Objects.requireNonNull(keeper);
  }

  /**
   * Sets the store of merge bases, which turns merging of concurrent note edits on
   * (docs/conflicts.md); before {@link #start()}.
   */
  public void mergeBases(dev.jsync.core.merge.MergeBases bases) {
    merges.bases = java.util.Objects.requireNonNull(bases);
  }

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
          watcher.start(disk.root(), watch.listener());
        }
        changes.schedulePeriodicScan();
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
    names.load(options.names());
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
    commits.load();
    CrashedPulls.keepUsersWrites(this);
    applier.madeForDownloads.load();
    changes.reloadIgnores();
    store.peers().forEach(peers::addKnown);
    // Needs are not persisted: rebuild them from what the peers' indexes say.
    for (DeviceId peer : peers.known()) {
      store.forEachRemote(peer, r -> puller.consider(peer, r, null));
    }
    updateStatus();
  }

  /**
   * Forgets {@code peer}: its records and index position go from the store, and it is no longer
   * known, so the status stops waiting for it and tombstones stop waiting for its
   * acknowledgement. What was needed only because it offered it is needed no more. Refused while
   * it is connected. Any thread; the work runs on the control thread.
   */
  public CompletableFuture<Void> forget(DeviceId peer) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    post(() -> {
      try {
        peerEvents.forget(peer);
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** Stops the transport, the watcher and all timers. In-flight downloads keep their temp files. */
  public void close() {
    closed = true;
    if (watcher != null) {
      watcher.close();
    }
    transport.close();
    post(() -> {
      changes.cancel();
      watch.cancel();
      puller.cancel();
      peers.closeAll();
      commits.landAll(); // files already renamed into place get their index entries now, not at the next scan
    });
  }

  public SyncStatus status() {
    return reporter.status();
  }

  public DeviceId device() {
    return self;
  }

  /** Asks for a full scan as soon as any running scan ends. Any thread. */
  public void requestFullScan() {
    post(changes::requestFullScan);
  }

  /** Asks for a scan of the given paths. Any thread. */
  public void requestScan(Collection<RelativePath> paths) {
    List<RelativePath> copy = List.copyOf(paths);
    post(() -> changes.requestScan(copy));
  }

  // ---------------------------------------------------------------- transport events

  @Override
  public Hello helloFor(DeviceId peer) {
    return receiver.helloFor(peer, options.deviceName(), epoch, commits.lastSequence());
  }

  @Override
  public void connected(PeerLink link, Hello theirs) {
    post(() -> peerEvents.connected(link, theirs));
  }

  @Override
  public void disconnected(PeerLink link, String reason) {
    disconnected(link, DisconnectReason.LOST, reason);
  }

  @Override
  public void disconnected(PeerLink link, DisconnectReason why, String detail) {
    post(() -> peerEvents.disconnected(link, why, detail));
  }

  @Override
  public void connectionFailed(ConnectionFailure failure) {
    post(() -> peerEvents.connectionFailed(failure));
  }

  // ---------------------------------------------------------------- pause

  /** Pauses or resumes pulling and sending indexes. Any thread. */
  public void paused(boolean pause) {
    paused = pause;
    if (!pause) {
      post(() -> {
        if (!paused && started) {
          sender.pushAll();
          puller.pump();
        }
      });
    }
  }

  public boolean paused() {
    return paused;
  }

  @Override
  public CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
    // Completed once the batch is applied or dropped: the transport's memory budget waits on it.
    CompletableFuture<Void> applied = new CompletableFuture<>();
    post(() -> {
      try {
        PeerSession s = peers.current(link);
        if (s != null) {
          receiver.receive(s, update);
        }
      } finally {
        applied.complete(null);
      }
    });
    return applied;
  }

  @Override
  public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
    post(() -> {
      PeerSession s = peers.current(link);
      if (s != null) {
        sender.resendFrom(s, indexEpoch, afterSequence);
      }
    });
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    io.execute(() -> reply.accept(blockServer.serve(request)));
  }

  // ---------------------------------------------------------------- for the collaborators

  long epoch() {
    return epoch;
  }

  boolean started() {
    return started;
  }

  boolean closed() {
    return closed;
  }

  /** Takes a new status snapshot. Control thread. */
  void updateStatus() {
    reporter.update(commits.liveFiles(), commits.lastSequence(), puller.needs(), peers, names.problems(),
        merges.merged(), commits.landing());
  }

  /** Runs {@code task} on the control thread; after close, a refused task is dropped. */
  void post(Runnable task) {
    try {
      control.execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  long nowNanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  static void cancel(Scheduler.Cancellable c) {
    if (c != null) {
      c.cancel();
    }
  }
}
