package dev.jsync.core.internal;

import dev.jsync.core.Scheduler;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control scheduler and the I/O executor a node runs on: the embedder's own
 * ({@link #given}), which stay theirs, or two small daemon pools the node makes and shuts down
 * itself ({@link #own}).
 */
public final class NodeThreads {

  /** How long an idle I/O thread of the node's own pool lives before it ends. */
  private static final long IO_THREAD_KEEP_ALIVE_SECONDS = 5;

  private final Scheduler control;
  private final Executor io;
  private final List<ExecutorService> owned;

  private NodeThreads(Scheduler control, Executor io, List<ExecutorService> owned) {
    this.control = control;
    this.io = io;
    this.owned = owned;
  }

  /** The embedder's executors: {@link #shutdown()} leaves them running. */
  public static NodeThreads given(Scheduler control, Executor io) {
    return new NodeThreads(control, io, List.of());
  }

  /**
   * One control thread, and I/O threads that mostly wait on the disk (reads, fsyncs of pulled
   * files): more of them than cores keeps the disk busy, and parallel fsyncs share journal
   * commits. They end after a few idle seconds (an idle node keeps neither their stacks nor their
   * malloc caches) and start again with the next transfer or scan.
   */
  public static NodeThreads own() {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("jsync-control"));
    // Timers (the next periodic scan) must not hold up close().
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    s.setRemoveOnCancelPolicy(true);
    int ioThreads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor pool = new ThreadPoolExecutor(ioThreads, ioThreads, IO_THREAD_KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("jsync-io"));
    pool.allowCoreThreadTimeOut(true);
    return new NodeThreads(Scheduler.of(s), pool, List.of(s, pool));
  }

  public Scheduler control() {
    return control;
  }

  public Executor io() {
    return io;
  }

  /** Whether the node made these executors (and so ends them). */
  public boolean owned() {
    return !owned.isEmpty();
  }

  /** Shuts down the executors the node made and waits up to 5 s for each; given ones are left alone. */
  public void shutdown() {
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

  /** Daemon threads named {@code name-1}, {@code name-2}, ... */
  public static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
