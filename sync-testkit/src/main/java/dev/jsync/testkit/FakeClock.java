package dev.jsync.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when told to. Give each simulated node its own, with a skew,
 * to model a device whose clock runs ahead or behind.
 *
 * <p>Thread-safe: reads and advances are synchronized, so a test thread may advance it while
 * the engine reads it.
 */
public final class FakeClock extends Clock {

  private final ZoneId zone;
  private Instant now;

  private FakeClock(Instant start, ZoneId zone) {
    this.now = Objects.requireNonNull(start, "start");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** A clock standing at {@code start}, in UTC. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start, ZoneOffset.UTC);
  }

  /** Moves the clock forward (or, with a negative duration, back). */
  public synchronized FakeClock advance(Duration by) {
    now = now.plus(by);
    return this;
  }

  /** Sets the clock to {@code instant}, which may lie in the past. */
  public synchronized FakeClock set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
    return this;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new FakeClock(instant(), newZone);
  }
}
