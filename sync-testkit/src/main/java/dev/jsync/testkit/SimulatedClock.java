package dev.jsync.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One simulated device's clock: the {@link SimulatedScheduler}'s virtual time seen through a
 * {@link ClockSkew}. It moves only when virtual time does, so two runs with the same seed read
 * the same times. A device's files get their modification times from the same clock
 * ({@link InMemoryFolder}), as they would from the device's real clock.
 *
 * <p>It never runs backwards on its own; {@link #jump(Duration)} steps it, as an NTP
 * correction would, and may step it back.
 *
 * <p>Not thread-safe, like the scheduler it reads.
 */
public final class SimulatedClock extends Clock {

  private final SimulatedScheduler scheduler;
  private final ClockSkew skew;
  private final ZoneId zone;
  private long jumpedNanos;

  /** A clock reading {@code scheduler}'s virtual time with {@code skew}. */
  public SimulatedClock(SimulatedScheduler scheduler, ClockSkew skew) {
    this(scheduler, skew, ZoneOffset.UTC);
  }

  private SimulatedClock(SimulatedScheduler scheduler, ClockSkew skew, ZoneId zone) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.skew = Objects.requireNonNull(skew, "skew");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** The skew this clock was made with. */
  public ClockSkew skew() {
    return skew;
  }

  /** Steps the clock by {@code by} (negative steps it back). */
  public void jump(Duration by) {
    jumpedNanos = Math.addExact(jumpedNanos, by.toNanos());
  }

  @Override
  public Instant instant() {
    long elapsed = scheduler.nanos();
    // Double arithmetic is exact enough here and deterministic (IEEE 754), and cannot overflow.
    long drift = skew.driftPpm() == 0 ? 0 : (long) (elapsed * (skew.driftPpm() / 1e6));
    return scheduler.start().plus(skew.offset()).plusNanos(elapsed + drift + jumpedNanos);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    SimulatedClock c = new SimulatedClock(scheduler, skew, newZone);
    c.jumpedNanos = jumpedNanos;
    return c;
  }

  @Override
  public String toString() {
    return "SimulatedClock[" + skew + "]";
  }
}
