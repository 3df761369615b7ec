package dev.jsync.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where and when the engine runs its work: the engine never starts threads or reads the system
 * clock itself. {@link #of(ScheduledExecutorService)} adapts a JDK executor; sync-testkit's
 * deterministic scheduler runs a whole cluster in one thread, reproducibly.
 *
 * <p>Implementations are thread-safe: tasks may be submitted from any thread.
 */
public interface Scheduler extends Executor {

  /** A scheduled task that may still be called off. */
  interface Cancellable {
    /** Prevents the task from running if it has not started; idempotent. */
    void cancel();
  }

  /** Runs {@code task} soon, after tasks already submitted. */
  @Override
  void execute(Runnable task);

  /** Runs {@code task} once, {@code delay} from now. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduler running on {@code executor}; the caller owns and shuts down the executor. */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return new Scheduler() {
      @Override
      public void execute(Runnable task) {
        executor.execute(task);
      }

      @Override
      public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
