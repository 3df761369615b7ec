package dev.jsync.cli.internal;

import java.time.Duration;

/**
 * Decides when a node that has gone quiet after some work should give memory back. The
 * launcher's collector (serial) only shrinks the heap in a full collection, and an idle node
 * allocates too little to ever need one: without a nudge, the heap a large sync grew stays
 * committed for days. So once the node's activity has stood still for {@link #QUIET} after
 * having changed, one full collection is asked for; then nothing until the next activity.
 *
 * <p>Pure bookkeeping (no clock, no GC calls); the status ticker feeds it and acts on it. Not
 * thread-safe: one caller.
 */
final class IdleCollector {

  static final Duration QUIET = Duration.ofSeconds(10);

  private long lastSignature;
  private long changedAtNanos;
  private boolean dirty;
  private boolean started;

  /**
   * Reports the node's activity now.
   *
   * @param signature any number that changes whenever the node does work (files and bytes moved,
   *     sequence numbers)
   * @return true exactly once per quiet period that follows activity: the moment to collect
   */
  boolean update(long nowNanos, long signature) {
    if (!started) {
      started = true;
      lastSignature = signature;
      changedAtNanos = nowNanos;
      dirty = true; // start-up itself allocated: collect once it settles
      return false;
    }
    if (signature != lastSignature) {
      lastSignature = signature;
      changedAtNanos = nowNanos;
      dirty = true;
      return false;
    }
    if (dirty && nowNanos - changedAtNanos >= QUIET.toNanos()) {
      dirty = false;
      return true;
    }
    return false;
  }

  /**
   * True once the activity last reported has stood still for {@link #QUIET}: the node is idle,
   * and whoever polls it may slow down. False before the first report.
   */
  boolean quiet(long nowNanos) {
    return started && nowNanos - changedAtNanos >= QUIET.toNanos();
  }
}
