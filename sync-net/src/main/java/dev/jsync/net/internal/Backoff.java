package dev.jsync.net.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between dial attempts: doubling from {@code min} up to {@code max}, each drawn at random
 * from the upper half of its step ("equal jitter") so that devices that lost each other at the
 * same moment do not redial in lockstep. Never below {@code min}.
 *
 * <p>Not thread-safe; callers synchronise.
 */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int failures;

  /** @param random uniform values in [0, 1) */
  Backoff(Duration min, Duration max, DoubleSupplier random) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  Duration next() {
    long step = minMillis << Math.min(failures, 30);
    if (step <= 0 || step > maxMillis) {
      step = maxMillis;
    }
    failures++;
    long jittered = (long) (step * (0.5 + 0.5 * random.getAsDouble()));
    return Duration.ofMillis(Math.max(minMillis, Math.min(maxMillis, jittered)));
  }

  void reset() {
    failures = 0;
  }
}
