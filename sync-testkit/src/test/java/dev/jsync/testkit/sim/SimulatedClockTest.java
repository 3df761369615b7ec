package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.SimulatedClock;
import dev.jsync.testkit.SimulatedScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {

  private final SimulatedScheduler scheduler = new SimulatedScheduler(1);
  private final Instant start = SimulatedScheduler.DEFAULT_START;

  @Test
  void anExactClockReadsVirtualTime() {
    SimulatedClock c = new SimulatedClock(scheduler, ClockSkew.none());
    scheduler.runFor(Duration.ofMinutes(5), 0);
    assertThat(c.instant()).isEqualTo(start.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aClockAnHourAheadStaysAnHourAhead() {
    SimulatedClock c = new SimulatedClock(scheduler, ClockSkew.ahead(Duration.ofHours(1)));
    assertThat(c.instant()).isEqualTo(start.plus(Duration.ofHours(1)));
    scheduler.runFor(Duration.ofDays(1), 0);
    assertThat(c.instant()).isEqualTo(start.plus(Duration.ofHours(25)));
  }

  @Test
  void driftGrowsWithElapsedTime() {
    SimulatedClock fast = new SimulatedClock(scheduler, ClockSkew.none().withDrift(500));
    SimulatedClock slow = new SimulatedClock(scheduler, ClockSkew.behind(Duration.ofSeconds(5)).withDrift(-500));
    scheduler.runFor(Duration.ofSeconds(1000), 0);
    assertThat(fast.instant()).isEqualTo(start.plusSeconds(1000).plusMillis(500));
    assertThat(slow.instant()).isEqualTo(start.plusSeconds(995).minusMillis(500));
  }

  @Test
  void aJumpStepsTheClockEitherWay() {
    SimulatedClock c = new SimulatedClock(scheduler, ClockSkew.none());
    c.jump(Duration.ofSeconds(-30));
    assertThat(c.instant()).isEqualTo(start.minusSeconds(30));
  }

  @Test
  void aClockThatWouldStandStillIsRefused() {
    assertThatThrownBy(() -> ClockSkew.none().withDrift(-1_000_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
