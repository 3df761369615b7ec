package dev.jsync.core;

import dev.jsync.core.internal.Engine;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * One synced folder on one device: the entry point for embedding jSync in a JVM application.
 *
 * <pre>{@code
 * SyncNode node = SyncNode.builder(folder, store, transport)
 *     .device(deviceId)
 *     .listener(event -> System.out.println(event))
 *     .build();
 * node.start();   // scans, then syncs until closed
 * ...
 * node.close();
 * }</pre>
 *
 * <p>The node does its work on a control scheduler and an I/O executor. Give it your own (the
 * testkit runs a whole cluster on one deterministic thread), or let {@link Builder#build()}
 * create two small daemon pools, which {@link #close()} then shuts down. The store and the
 * transport are the caller's: close them after the node.
 *
 * <p>Thread-safe.
 */
public final class SyncNode implements AutoCloseable {

  private final Engine engine;
  private final List<ExecutorService> owned;

  private SyncNode(Engine engine, List<ExecutorService> owned) {
    this.engine = engine;
    this.owned = owned;
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
      engine.start().join();
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
    return engine.start();
  }

  /** The latest status snapshot; cheap, never blocks. */
  public SyncStatus status() {
    return engine.status();
  }

  /** This node's device id. */
  public DeviceId device() {
    return engine.device();
  }

  /** Scans the whole folder now, as the periodic scan would. */
  public void scanNow() {
    engine.requestFullScan();
  }

  /** Scans just these paths now, as a watcher event would. */
  public void scan(List<RelativePath> paths) {
    engine.requestScan(paths);
  }

  /** Stops syncing. Downloads in flight keep their temp files and resume next time. */
  @Override
  public void close() {
    engine.close();
    for (ExecutorService e : owned) {
      e.shutdown();
    }
    for (ExecutorService e : owned) {
      try {
        e.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Builds a {@link SyncNode}. Not thread-safe. */
  public static final class Builder {
    /** How long an idle I/O thread of the default pool lives before it ends. */
    private static final long IO_THREAD_KEEP_ALIVE_SECONDS = 5;
    private final Path folder;
    private final IndexStore store;
    private final Transport transport;
    private DeviceId device;
    private SyncOptions options = SyncOptions.defaults();
    private SyncListener listener = SyncListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Scheduler control;
    private java.util.concurrent.Executor io;
    private FolderWatcher watcher;
    private RandomGenerator random;

    private Builder(Path folder, IndexStore store, Transport transport) {
      this.folder = Objects.requireNonNull(folder, "folder");
      this.store = Objects.requireNonNull(store, "store");
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** This device's id (required): normally its TLS certificate's fingerprint. */
    public Builder device(DeviceId v) {
      this.device = Objects.requireNonNull(v);
      return this;
    }

    public Builder options(SyncOptions v) {
      this.options = Objects.requireNonNull(v);
      return this;
    }

    public Builder listener(SyncListener v) {
      this.listener = Objects.requireNonNull(v);
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

    /** Randomness for the index epoch (default: a {@link SecureRandom}). */
    public Builder random(RandomGenerator v) {
      this.random = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Builds the node.
     *
     * @throws IllegalArgumentException if the folder is not a directory or no device id was given
     */
    public SyncNode build() {
      if (device == null) {
        throw new IllegalArgumentException("a device id is required");
      }
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("not a folder: " + folder);
      }
      List<ExecutorService> owned = new java.util.ArrayList<>();
      Scheduler c = control;
      java.util.concurrent.Executor i = io;
      if (c == null) {
        java.util.concurrent.ScheduledThreadPoolExecutor s =
            new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("jsync-control"));
        // Timers (the next periodic scan) must not hold up close().
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        s.setRemoveOnCancelPolicy(true);
        // I/O threads mostly wait on the disk (reads, fsyncs of pulled files): more of them than
        // cores keeps the disk busy, and parallel fsyncs share journal commits. They end after
        // a few idle seconds (an idle node keeps neither their stacks nor their malloc caches)
        // and start again with the next transfer or scan.
        int ioThreads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ioThreads, ioThreads, IO_THREAD_KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("jsync-io"));
        pool.allowCoreThreadTimeOut(true);
        owned.add(s);
        owned.add(pool);
        c = Scheduler.of(s);
        i = pool;
      }
      FolderWatcher w = watcher;
      if (w == null && options.watch()) {
        w = FolderWatcher.jdk(daemon("jsync-watcher"));
      }
      Engine engine = new Engine(device, folder.toAbsolutePath(), store, transport, c, i, clock, options, listener, w,
          random != null ? random : new SecureRandom());
      return new SyncNode(engine, owned);
    }

    private static ThreadFactory daemon(String name) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
