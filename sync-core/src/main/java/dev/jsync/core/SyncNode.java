package dev.jsync.core;

import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionStore;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.internal.DiskView;
import dev.jsync.core.internal.Engine;
import dev.jsync.core.internal.HistoryKeeping;
import dev.jsync.core.internal.NodeThreads;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * One synced folder on one device: the entry point for embedding jSync in a JVM application.
 *
 * <pre>{@code
 * SyncNode node = SyncNode.builder(folder, store, transport)
 *     .listener(event -> System.out.println(event))
 *     .ownStore()
 *     .build();
 * node.start();   // scans, then syncs until closed
 * ...
 * node.close();   // stops syncing, closes the transport, then the store
 * }</pre>
 *
 * <p>The node is the device its transport authenticates as ({@link Transport#deviceId()}).
 *
 * <p><b>Ownership.</b> The node owns its transport: {@link #close()} closes it, and a transport
 * serves one node only (starting it twice fails). The store is the caller's unless the builder
 * was told {@link Builder#ownStore()}: then {@code close()} closes it too, last, after the node's
 * final index writes. Executors the node creates are its own and shut down by {@code close()};
 * executors given to the builder stay the caller's.
 *
 * <p>The node does its work on a control scheduler and an I/O executor. Give it your own (the
 * testkit runs a whole cluster on one deterministic thread), or let {@link Builder#build()}
 * create two small daemon pools.
 *
 * <p>Thread-safe.
 */
public final class SyncNode implements AutoCloseable {

  private final Engine engine;
  private final NodeThreads threads;
  private final Optional<HistoryKeeping> history;
  private final Optional<VersionStore> versions;
  private final String deviceName;
  private final IndexStore ownedStore;
  private final Transport transport;
  private volatile boolean closed;

  private SyncNode(Engine engine, NodeThreads threads, Optional<HistoryKeeping> history, String deviceName,
      IndexStore ownedStore, Transport transport) {
    this.ownedStore = ownedStore;
    this.transport = transport;
    this.engine = engine;
    this.threads = threads;
    this.history = history;
    this.versions = history.map(HistoryKeeping::store);
    this.deviceName = deviceName;
  }

  /** Starts building a node for {@code folder}, persisting to {@code store}, reaching peers through {@code transport}. */
  public static Builder builder(Path folder, IndexStore store, Transport transport) {
    return new Builder(folder, store, transport);
  }

  /**
   * Loads the index, then starts scanning, watching and syncing in the background. Returns once
   * the index is loaded.
   *
   * @throws IllegalStateException if the node cannot start (the cause says why)
   */
  public void start() {
    try {
      startAsync().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("jSync node failed to start: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Like {@link #start()}, without blocking: the stage completes once the index is loaded (or
   * exceptionally if the node cannot start). For schedulers that run their tasks on the
   * caller's own thread, such as sync-testkit's deterministic simulator, where a blocking
   * {@code start()} would wait for a task that can only run after it returns.
   */
  public java.util.concurrent.CompletionStage<Void> startAsync() {
    return engine.start().thenRun(() -> history.ifPresent(HistoryKeeping::sweepNowAndHourly));
  }

  /**
   * The versions this node's store keeps of the given paths and of everything under them, or of
   * the whole folder if none are given, newest first; empty if the node keeps no history. Reads
   * files.
   */
  public List<Version> versions(List<RelativePath> under) throws IOException {
    if (versions.isEmpty()) {
      return List.of();
    }
    return under.isEmpty() ? versions.get().list() : versions.get().list(under);
  }

  /**
   * Puts kept versions back as local changes, which then sync to every peer like a save
   * (see {@link VersionStore#restore} for which versions a path selects), and scans them at once.
   *
   * @param versionId a version of {@code path} or of a file under it; empty for the newest
   * @param to where to put them instead of their own place
   * @return what was restored
   * @throws IllegalArgumentException if there is nothing to restore, or the node keeps no history
   * @throws IOException if writing failed
   */
  public List<VersionStore.Restored> restore(RelativePath path, Optional<String> versionId,
      Optional<RelativePath> to) throws IOException {
    VersionStore store = versions.orElseThrow(() -> new IllegalArgumentException("this node keeps no version history"));
    List<VersionStore.Restored> done = store.restore(path, versionId, to, deviceName);
    if (!done.isEmpty()) {
      engine.requestScan(done.stream().map(VersionStore.Restored::to).toList());
    }
    return done;
  }

  /** The node's version store, if it keeps history. */
  public Optional<VersionStore> versionStore() {
    return versions;
  }

  /** The latest status snapshot; cheap, never blocks. */
  public SyncStatus status() {
    return engine.status();
  }

  /** This node's device id. */
  public DeviceId device() {
    return engine.device();
  }

  /**
   * Pauses syncing: no download starts and no index change is sent to peers until
   * {@link #resume()}. Links stay up, local changes are still scanned and recorded, downloads
   * already running finish, and peers may still fetch blocks this node announced before.
   */
  public void pause() {
    engine.paused(true);
  }

  /** Ends a {@link #pause()}: what changed meanwhile is sent, and what is needed is fetched. */
  public void resume() {
    engine.paused(false);
  }

  /** Whether the node is paused. */
  public boolean paused() {
    return engine.paused();
  }

  /**
   * Dials {@code peer} as well, at once if the node runs, and keeps dialing it like a peer given
   * at the start. With {@code NettyTransport}, give an unresolved
   * {@link java.net.InetSocketAddress} ({@code createUnresolved(host, port)}) so the name is
   * looked up at each dial.
   *
   * @return false if it is dialed already
   * @throws IllegalArgumentException if the transport cannot dial that kind of address
   * @throws UnsupportedOperationException if the transport's peers are fixed
   */
  public boolean addPeer(java.net.SocketAddress peer) {
    return transport.addPeer(Objects.requireNonNull(peer, "peer"));
  }

  /**
   * Stops dialing {@code peer} and closes the link this node dialed there. A device that can
   * still reach this one (with {@code NettyTransport}: one that knows the secret) may dial it;
   * to shut a device out for good, change the secret on the others.
   *
   * @return false if it was not dialed
   * @throws UnsupportedOperationException if the transport's peers are fixed
   */
  public boolean removePeer(java.net.SocketAddress peer) {
    return transport.removePeer(Objects.requireNonNull(peer, "peer"));
  }

  /** The addresses the node dials now: those given at the start, with those added and removed since. */
  public List<java.net.SocketAddress> peers() {
    return List.copyOf(transport.peers());
  }

  /**
   * Forgets a device that is gone for good (reinstalled, lost): its records and how far its index
   * was read are removed from the index, so the status no longer waits for it and deletes that
   * waited only for its acknowledgement can expire. If it connects again, it is met as a new
   * device (its index is read from the start). Completes on the node's control thread.
   *
   * @return completes once forgotten; fails with {@link IllegalStateException} while the device
   *     is connected (it is not gone), or {@link java.util.NoSuchElementException} if this node
   *     does not know it
   */
  public java.util.concurrent.CompletionStage<Void> forget(DeviceId peer) {
    return engine.forget(peer);
  }

  /** Scans the whole folder now, as the periodic scan would. */
  public void scanNow() {
    engine.requestFullScan();
  }

  /** Scans just these paths now, as a watcher event would. */
  public void scan(List<RelativePath> paths) {
    engine.requestScan(paths);
  }

  /**
   * Stops syncing and closes what the node owns, in order: the watcher and the transport (peers
   * are told goodbye), the node's last index writes, the store if it was given with
   * {@link Builder#ownStore()}, and the executors it created. Downloads in flight keep their temp
   * files and resume next time. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    history.ifPresent(HistoryKeeping::stop);
    engine.close();
    threads.shutdown();
    if (ownedStore != null) {
      if (threads.owned()) {
        closeStore(); // the node's own threads have ended: nothing uses the store any more
      } else {
        // The caller's executors: after the engine's last task on the control thread, which
        // lands its staged writes.
        try {
          threads.control().execute(this::closeStore);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          closeStore();
        }
      }
    }
  }

  private void closeStore() {
    try {
      ownedStore.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(SyncNode.class).debug("closing the index store failed", e);
    }
  }

  /** Builds a {@link SyncNode}. Not thread-safe. */
  public static final class Builder {
    private final Path folder;
    private final IndexStore store;
    private final Transport transport;
    private DeviceId device;
    private SyncOptions options = SyncOptions.defaults();
    private dev.jsync.core.merge.MergeBases mergeBases;
    private final Listeners.Builder listeners = new Listeners.Builder();
    private boolean ownStore;
    private Clock clock = Clock.systemUTC();
    private Scheduler control;
    private java.util.concurrent.Executor io;
    private FolderWatcher watcher;
    private RandomGenerator random;
    private VersionStore versionStore;
    private Disk disk = Disks.system();

    private Builder(Path folder, IndexStore store, Transport transport) {
      this.folder = Objects.requireNonNull(folder, "folder");
      this.store = Objects.requireNonNull(store, "store");
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * A check, not a setting: the node is always its transport's device
     * ({@link Transport#deviceId()}), and {@link #build()} refuses any other id given here.
     */
    public Builder device(DeviceId v) {
      this.device = Objects.requireNonNull(v);
      return this;
    }

    public Builder options(SyncOptions v) {
      this.options = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Adds a listener called on the node's control thread: it must return quickly and not
     * call the node's blocking methods. Listeners get each event in the order they were added;
     * one that throws is logged and keeps getting events.
     */
    public Builder listener(SyncListener v) {
      listeners.add(Objects.requireNonNull(v));
      return this;
    }

    /**
     * Adds a listener called on {@code executor}: one event at a time and in order, whatever
     * the executor's threads, so a slow listener holds up neither the node nor other listeners.
     * Events it has not handled yet stay queued in memory.
     */
    public Builder listener(SyncListener v, java.util.concurrent.Executor executor) {
      listeners.add(Objects.requireNonNull(v), Objects.requireNonNull(executor));
      return this;
    }

    /**
     * Hands the store to the node: {@link SyncNode#close()} closes it, after the node's last
     * index writes. Without this the store stays the caller's, to close after the node.
     */
    public Builder ownStore() {
      this.ownStore = true;
      return this;
    }

    /** The clock for modification of tombstones, version counters and timers (default: UTC system clock). */
    public Builder clock(Clock v) {
      this.clock = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Runs the node on {@code control} (one task at a time, in order) and blocking work on
     * {@code io}. Both may be the same single thread.
     */
    public Builder executors(Scheduler control, java.util.concurrent.Executor io) {
      this.control = Objects.requireNonNull(control);
      this.io = Objects.requireNonNull(io);
      return this;
    }

    /** The watcher (default: the JDK watcher when {@link SyncOptions#watch()} is on). */
    public Builder watcher(FolderWatcher v) {
      this.watcher = v;
      return this;
    }

    /**
     * Keeps what peers' changes replace or remove in {@code v} (default: no history), and emits
     * {@link SyncEvent.VersionKept} for each version kept. See docs/history.md.
     */
    public Builder versions(VersionStore v) {
      this.versionStore = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Keeps merge bases in {@code v}, which turns merging of concurrent edits of the files
     * {@link SyncOptions#mergeable()} names on (default: no bases, nothing merged). See
     * docs/conflicts.md.
     */
    public Builder mergeBases(dev.jsync.core.merge.MergeBases v) {
      this.mergeBases = Objects.requireNonNull(v);
      return this;
    }

    /** Randomness for the index epoch (default: a {@link SecureRandom}). */
    public Builder random(RandomGenerator v) {
      this.random = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The disk the node reads and writes the folder through (default: {@link dev.jsync.core.disk.Disks#system()}).
     * Tests pass one that injects faults; it must act on the folder's own file system.
     */
    public Builder disk(Disk v) {
      this.disk = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Builds the node.
     *
     * @throws IllegalArgumentException if the folder is not a directory, or a device id was given
     *     that is not the transport's
     */
    public SyncNode build() {
      DeviceId self = Objects.requireNonNull(transport.deviceId(), "the transport's device id");
      if (device != null && !device.equals(self)) {
        throw new IllegalArgumentException("the device id given (" + device.shortId() + ") is not the transport's ("
            + self.shortId() + "): a node is the device its transport authenticates as");
      }
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("not a folder: " + folder);
      }
      NodeThreads threads = control != null ? NodeThreads.given(control, io) : NodeThreads.own();
      FolderWatcher w = watcher;
      if (w == null && options.watch()) {
        w = new JdkFolderWatcher(NodeThreads.daemon("jsync-watcher"));
      }
      SyncListener listener = listeners.build();
      Engine engine = new Engine(self, new DiskView(disk, folder.toAbsolutePath()), store, transport,
          threads.control(), threads.io(), clock, options, listener, w,
          random != null ? random : new SecureRandom());
      if (mergeBases != null) {
        engine.mergeBases(mergeBases);
      }
      Optional<HistoryKeeping> history = Optional.ofNullable(versionStore)
          .map(vs -> HistoryKeeping.wire(engine, vs, threads, listener));
      return new SyncNode(engine, threads, history, options.deviceName(), ownStore ? store : null,
          transport);
    }
  }
}
