package dev.jsync.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a simulated device's clock is from true (virtual) time: a fixed offset, plus a drift
 * that grows with elapsed time. A {@link SimulatedClock} reads
 * {@code true time + offset + elapsed * driftPpm / 1,000,000}.
 *
 * @param offset how far ahead (positive) or behind (negative) the clock is at the start; a
 *     laptop whose clock is an hour fast is {@code ClockSkew.ahead(Duration.ofHours(1))}
 * @param driftPpm how fast the clock runs, in parts per million: +50 gains 50 µs every second
 *     (a cheap crystal); must be greater than -1,000,000 so that the clock still moves forward
 */
public record ClockSkew(Duration offset, long driftPpm) {

  public ClockSkew {
    Objects.requireNonNull(offset, "offset");
    if (driftPpm <= -1_000_000) {
      throw new IllegalArgumentException("a clock drifting by " + driftPpm + " ppm would stand still or run backwards");
    }
  }

  /** An exact clock. */
  public static ClockSkew none() {
    return new ClockSkew(Duration.ZERO, 0);
  }

  /** A clock {@code by} ahead of true time. */
  public static ClockSkew ahead(Duration by) {
    return new ClockSkew(by, 0);
  }

  /** A clock {@code by} behind true time. */
  public static ClockSkew behind(Duration by) {
    return new ClockSkew(by.negated(), 0);
  }

  /** This skew, drifting by {@code ppm} parts per million. */
  public ClockSkew withDrift(long ppm) {
    return new ClockSkew(offset, ppm);
  }

  /** Java source that builds this skew, for replaying a printed scenario. */
  String toJava() {
    if (offset.isZero() && driftPpm == 0) {
      return "ClockSkew.none()";
    }
    String base = offset.isNegative()
        ? "ClockSkew.behind(Duration.parse(\"" + offset.negated() + "\"))"
        : "ClockSkew.ahead(Duration.parse(\"" + offset + "\"))";
    return driftPpm == 0 ? base : base + ".withDrift(" + driftPpm + ")";
  }

  @Override
  public String toString() {
    return (offset.isNegative() ? "" : "+") + offset + (driftPpm == 0 ? "" : String.format(" %+dppm", driftPpm));
  }
}
