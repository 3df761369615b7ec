package dev.jsync.core.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hashing of one scan's changed files, shared between the scanning thread and helpers from an
 * executor, with what each look found handed on in the order the scan looked.
 *
 * <p>The scan hands over what it found at each path in walk order: as a step ready to run
 * ({@link #then}) or as a job that hashes a file and returns its step ({@link #hash}). Steps run
 * on the scanning thread, strictly in the order they were handed over, so a scan reports the same
 * changes in the same order (folders before their contents) whichever thread hashed which file.
 *
 * <p>A scan's first {@value #IN_LINE_FILES} files are hashed in line as the scan meets them,
 * as if there were no helpers: a watcher's scan of a few paths gains nothing from a second thread.
 * From then on files are queued and a helper is asked for (at most {@link ClaimedRuns#helpers()}
 * at a time). A helper hashes queued files until none is left, then ends; the next queued file
 * asks for one again. The scanning thread hashes queued files itself whenever {@value #WINDOW}
 * paths are outstanding, and at the end. It waits only for a file a running helper has taken,
 * never for a helper to start: on a busy or single-threaded executor (the simulator's) it simply
 * hashes everything itself, as {@link ClaimedRuns} does with the runs of one large file.
 *
 * <p>{@link #then}, {@link #hash}, {@link #finish} and {@link #close} are called on the scanning
 * thread only; a job runs on any thread, with that thread's own {@link BlockHasher}, and must
 * touch nothing but the disk and thread-safe state ({@link RacyFiles}).
 */
final class ScanHashing implements AutoCloseable {

  /** A scan hashes this many files in line before it queues any for helpers. */
  static final int IN_LINE_FILES = 64;
  /**
   * At most this many paths outstanding (queued, being hashed, or hashed and waiting for an
   * earlier one): bounds the memory of a scan of many changed files.
   */
  static final int WINDOW = 256;

  /** Hashes a file and says what to do with what it found. */
  @FunctionalInterface
  interface Job {
    /** Hashes with {@code hasher} (the running thread's own); returns the step for the scanning thread. */
    Runnable run(BlockHasher hasher);
  }

  private final BlockHasher own;
  private final Executor helpers;
  private final int maxHelpers;
  /** What the scan handed over and has not run yet, in order (scanning thread only). */
  private final Deque<Slot> window = new ArrayDeque<>();
  /** Jobs nobody has taken yet, oldest first: taking one is polling it. */
  private final Queue<Slot> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runningHelpers = new AtomicInteger();
  /** Hashers of helpers that ended, for the next helper of this scan. */
  private final Queue<BlockHasher> spareHashers = new ConcurrentLinkedQueue<>();
  private int files;

  /**
   * @param own the scanning thread's hasher
   * @param helpers where helpers run; null for none (every file hashed in line)
   */
  ScanHashing(BlockHasher own, Executor helpers) {
    this(own, helpers, helpers == null ? 0 : ClaimedRuns.helpers());
  }

  /** As above, with at most {@code maxHelpers} helpers at a time (tests choose it). */
  ScanHashing(BlockHasher own, Executor helpers, int maxHelpers) {
    this.own = own;
    this.helpers = helpers;
    this.maxHelpers = maxHelpers;
  }

  /** Runs {@code step} once everything handed over before it has run. */
  void then(Runnable step) {
    if (window.isEmpty()) {
      step.run();
    } else {
      window.addLast(new Slot(step));
    }
  }

  /** Has {@code job} run, here or on a helper; its step runs once everything before it has. */
  void hash(Job job) {
    files++;
    if (window.isEmpty() && (maxHelpers < 1 || files <= IN_LINE_FILES)) {
      job.run(own).run();
      return;
    }
    Slot slot = new Slot(job);
    window.addLast(slot);
    queued.add(slot);
    askForHelper();
    runReadySteps();
    while (window.size() >= WINDOW) {
      advance();
    }
  }

  /** Runs every step handed over, hashing what no helper has taken. */
  void finish() {
    while (!window.isEmpty()) {
      advance();
    }
  }

  /** Drops the jobs nobody has taken (after {@link #finish}, none): a scan that failed stops its helpers. */
  @Override
  public void close() {
    queued.clear();
  }

  /** Moves the first outstanding step closer to running, and runs all that are ready. */
  private void advance() {
    Slot first = window.peekFirst();
    if (!first.ready()) {
      Slot mine = queued.poll();
      if (mine != null) {
        mine.hashWith(own);
      } else {
        first.await(); // a running helper has it
      }
    }
    runReadySteps();
  }

  private void runReadySteps() {
    while (!window.isEmpty() && window.peekFirst().ready()) {
      window.pollFirst().step().run();
    }
  }

  private void askForHelper() {
    int n = runningHelpers.get();
    if (n >= maxHelpers || !runningHelpers.compareAndSet(n, n + 1)) {
      return;
    }
    try {
      helpers.execute(this::help);
    } catch (RejectedExecutionException e) {
      runningHelpers.decrementAndGet(); // shutting down: the scanning thread does it all
    }
  }

  private void help() {
    BlockHasher hasher = spareHashers.poll();
    if (hasher == null) {
      hasher = new BlockHasher();
    }
    try {
      do {
        for (Slot s = queued.poll(); s != null; s = queued.poll()) {
          s.hashWith(hasher);
        }
        runningHelpers.decrementAndGet();
      } while (!queued.isEmpty() && rejoin()); // a file queued as this helper was leaving
    } finally {
      spareHashers.add(hasher);
    }
  }

  private boolean rejoin() {
    int n = runningHelpers.get();
    return n < maxHelpers && runningHelpers.compareAndSet(n, n + 1);
  }

  /** One path's place in the order: a job, then its step once some thread has run the job. */
  private static final class Slot {
    private final Job job;
    private Runnable step; // guarded by this

    Slot(Job job) {
      this.job = job;
    }

    Slot(Runnable step) {
      this.job = null;
      this.step = step;
    }

    void hashWith(BlockHasher hasher) {
      Runnable r;
      try {
        r = job.run(hasher);
      } catch (RuntimeException e) {
        r = () -> {
          throw e; // thrown on the scanning thread, as if it had hashed the file itself
        };
      } catch (Error e) {
        r = () -> {
          throw e;
        };
      }
      synchronized (this) {
        step = r;
        notifyAll();
      }
    }

    synchronized boolean ready() {
      return step != null;
    }

    synchronized Runnable step() {
      return step;
    }

    /** Waits for the helper hashing this file (as long as one file's hashing takes). */
    synchronized void await() {
      boolean interrupted = false;
      while (step == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
