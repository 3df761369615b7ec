package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void movesOnlyWhenTold() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    clock.advance(Duration.ofHours(1));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
    clock.advance(Duration.ofMinutes(-90));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2025-12-31T23:30:00Z").toEpochMilli());
  }
}
