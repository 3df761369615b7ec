package dev.jsync.testkit;

import java.time.Duration;

/**
 * Runs a {@link SimulatedCluster} in virtual time, one scheduler step at a time, and after each
 * step fails the run on a task that threw, a node that could not start, or a partial file at a
 * synced path ({@link AtomicityChecker}). Not thread-safe.
 */
final class ClusterRunner {

  /** A pending task further away than this counts as idle (periodic scans, long back-offs). */
  static final Duration IDLE_HORIZON = Duration.ofSeconds(20);

  /** Settling may not take longer than this in virtual time: retries forever are a livelock. */
  static final Duration MAX_SETTLE_TIME = Duration.ofMinutes(10);

  private final ClusterContext cluster;
  private final SimulatedScheduler scheduler;
  private final AtomicityChecker atomicity;

  ClusterRunner(ClusterContext cluster, AtomicityChecker atomicity) {
    this.cluster = cluster;
    this.scheduler = cluster.scheduler;
    this.atomicity = atomicity;
  }

  /**
   * Runs the cluster for {@code duration} of virtual time.
   *
   * @throws SimulationFailure if that takes more than the convergence step limit: tasks that
   *     keep scheduling each other without letting time pass (a livelock within one instant)
   */
  void run(Duration duration) {
    long end = scheduler.nanos() + duration.toNanos();
    long before = scheduler.steps();
    while (scheduler.nextDue().map(d -> scheduler.nanos() + d.toNanos() <= end).orElse(false)) {
      if (scheduler.steps() - before >= cluster.convergenceSteps) {
        throw cluster.fail("progress", "running for " + duration + " took more than " + cluster.convergenceSteps
            + " steps (at " + scheduler.elapsed() + ", " + scheduler.pending() + " tasks pending)\n"
            + cluster.statusLines(), null);
      }
      step();
    }
    scheduler.runFor(Duration.ofNanos(Math.max(0, end - scheduler.nanos())), 0);
  }

  /**
   * Between two script operations: a pause of 0 to 50 ms (none a third of the time), drawn
   * from the seed and the operation itself rather than from its position, so that removing
   * another operation (as jqwik does when it shrinks a script) leaves this pause unchanged.
   */
  void runBetweenOperations(Operation op, int occurrence) {
    long r = SimulatedScheduler.mix(cluster.seed ^ SimulatedScheduler.mix(op.toString().hashCode() * 31L + occurrence));
    if (Long.remainderUnsigned(r, 3) != 0) {
      run(Duration.ofMillis(Long.remainderUnsigned(r >>> 8, 51)));
    }
  }

  /**
   * Runs until nothing is due within {@link #IDLE_HORIZON} of virtual time (periodic scans
   * aside).
   *
   * @return steps taken
   * @throws SimulationFailure if {@code maxSteps} or {@link #MAX_SETTLE_TIME} of virtual time run
   *     out first: the cluster does not settle (a livelock, such as a pull that fails and
   *     retries forever)
   */
  long runUntilQuiescent(long maxSteps) {
    long before = scheduler.steps();
    long deadline = scheduler.nanos() + MAX_SETTLE_TIME.toNanos();
    while (!scheduler.isIdle(IDLE_HORIZON)) {
      if (scheduler.steps() - before >= maxSteps || scheduler.nanos() > deadline) {
        throw cluster.fail("progress", "the cluster did not settle within " + maxSteps + " steps and "
            + MAX_SETTLE_TIME.toMinutes() + " minutes of virtual time (" + (scheduler.steps() - before) + " steps, "
            + scheduler.pending() + " tasks pending, next in " + scheduler.nextDue().orElse(null) + ")\n"
            + cluster.statusLines(), null);
      }
      step();
    }
    return scheduler.steps() - before;
  }

  /** Runs until quiet, then long enough for every node's periodic full scan, then until quiet again. */
  void converge() {
    runUntilQuiescent(cluster.convergenceSteps);
    run(cluster.options.scanInterval().plusSeconds(1));
    runUntilQuiescent(cluster.convergenceSteps);
  }

  private void step() {
    scheduler.step();
    if (!cluster.startFailures.isEmpty()) {
      throw cluster.startFailures.get(0);
    }
    if (!scheduler.uncaughtExceptions().isEmpty()) {
      throw cluster.fail("no exceptions", "a task threw: " + scheduler.uncaughtExceptions().get(0),
          scheduler.firstUncaughtException().orElse(null));
    }
    scheduler.lastProcess().map(cluster.byProcess::get).ifPresent(atomicity::check);
  }
}
