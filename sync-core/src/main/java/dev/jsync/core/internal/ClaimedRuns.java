package dev.jsync.core.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Work on a large file cut into numbered runs, done by the calling thread and a few helpers from
 * an executor, each claiming the next unclaimed run until none is left. The caller waits only for
 * runs a running helper has claimed, never for a helper to start: on a busy or single-threaded
 * executor (the simulator's) the caller simply does more of the runs itself, so calling this from
 * a task of the same executor cannot deadlock.
 */
final class ClaimedRuns {

  /** At most this many helpers, and one fewer than the machine's processors. */
  private static final int MAX_HELPERS = 3;

  /** One run's work, with the state of the thread doing it (buffers, a digest). */
  @FunctionalInterface
  interface Body<S> {
    void run(int run, S state) throws IOException;
  }

  private ClaimedRuns() {}

  /** How many helpers are worth asking for on this machine (0 on one processor). */
  static int helpers() {
    return Math.min(MAX_HELPERS, Runtime.getRuntime().availableProcessors() - 1);
  }

  /**
   * Runs {@code body} for every run in {@code [0, runs)}, each exactly once unless one fails: after
   * a failure the remaining runs are skipped and the first failure is thrown.
   *
   * @param state makes each thread's state; closed when the thread has no more runs
   */
  static <S extends AutoCloseable> void run(int runs, Executor executor, Supplier<S> state, Body<S> body)
      throws IOException {
    AtomicInteger nextRun = new AtomicInteger();
    CountDownLatch runsDone = new CountDownLatch(runs);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      S s = null;
      try {
        for (int run = nextRun.getAndIncrement(); run < runs; run = nextRun.getAndIncrement()) {
          try {
            if (failure.get() == null) {
              if (s == null) {
                s = state.get();
              }
              body.run(run, s);
            }
          } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            runsDone.countDown();
          }
        }
      } finally {
        closeQuietly(s);
      }
    };
    for (int i = 0; i < Math.min(helpers(), runs - 1); i++) {
      try {
        executor.execute(worker);
      } catch (RejectedExecutionException e) {
        break; // shutting down: the caller does the rest
      }
    }
    worker.run();
    try {
      runsDone.await(); // only runs already claimed by running helpers are left
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for helpers");
    }
    Throwable t = failure.get();
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Buffers and read-only channels: nothing to lose.
    }
  }
}
