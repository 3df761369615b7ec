package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.Scheduler;
import dev.jsync.testkit.SimulatedScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedSchedulerTest {

  @Test
  void timersRunInVirtualTimeOrderAndMoveTheClock() {
    SimulatedScheduler s = new SimulatedScheduler(1);
    List<String> ran = new ArrayList<>();
    s.schedule(() -> ran.add("5s at " + s.elapsed()), Duration.ofSeconds(5));
    s.schedule(() -> ran.add("1s at " + s.elapsed()), Duration.ofSeconds(1));
    s.execute(() -> ran.add("now at " + s.elapsed()));
    assertThat(s.runUntilIdle(Duration.ofHours(1), 100)).isTrue();
    assertThat(ran).containsExactly("now at PT0S", "1s at PT1S", "5s at PT5S");
    assertThat(s.now()).isEqualTo(SimulatedScheduler.DEFAULT_START.plusSeconds(5));
  }

  @Test
  void anOrderedLaneRunsItsTasksInSubmissionOrderWhateverTheSeed() {
    for (long seed = 0; seed < 20; seed++) {
      SimulatedScheduler s = new SimulatedScheduler(seed);
      SimulatedScheduler.Process p = s.process("n");
      List<Integer> ran = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = i;
        p.control().execute(() -> ran.add(n));
        p.io().execute(() -> { });
      }
      s.runUntilIdle(Duration.ZERO, 1000);
      assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
  }

  @Test
  void theSeedPicksHowTasksDueTogetherInterleaveAndTheSameSeedPicksTheSame() {
    assertThat(ioOrder(7)).isEqualTo(ioOrder(7));
    List<List<Integer>> orders = new ArrayList<>();
    for (long seed = 0; seed < 10; seed++) {
      orders.add(ioOrder(seed));
    }
    assertThat(orders.stream().distinct().count()).isGreaterThan(5);
  }

  private static List<Integer> ioOrder(long seed) {
    SimulatedScheduler s = new SimulatedScheduler(seed);
    SimulatedScheduler.Process p = s.process("n");
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      p.io().execute(() -> ran.add(n));
    }
    s.runUntilIdle(Duration.ZERO, 100);
    return ran;
  }

  @Test
  void aKilledProcessLosesItsQueuedWorkAndIgnoresNewWork() {
    SimulatedScheduler s = new SimulatedScheduler(3);
    SimulatedScheduler.Process p = s.process("n");
    List<String> ran = new ArrayList<>();
    p.control().execute(() -> ran.add("queued"));
    p.control().schedule(() -> ran.add("timer"), Duration.ofSeconds(1));
    p.kill();
    p.io().execute(() -> ran.add("after"));
    s.runUntilIdle(Duration.ofHours(1), 100);
    assertThat(ran).isEmpty();
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void aCancelledTimerDoesNotRun() {
    SimulatedScheduler s = new SimulatedScheduler(4);
    List<String> ran = new ArrayList<>();
    Scheduler.Cancellable c = s.schedule(() -> ran.add("x"), Duration.ofSeconds(1));
    c.cancel();
    s.runFor(Duration.ofSeconds(2), 10);
    assertThat(ran).isEmpty();
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void idleMeansNothingDueWithinTheHorizon() {
    SimulatedScheduler s = new SimulatedScheduler(5);
    s.schedule(() -> { }, Duration.ofMinutes(1));
    assertThat(s.isIdle(Duration.ofSeconds(20))).isTrue();
    assertThat(s.isIdle(Duration.ofMinutes(2))).isFalse();
    assertThat(s.runUntilIdle(Duration.ofSeconds(20), 10)).isTrue();
    assertThat(s.elapsed()).isZero();
  }

  @Test
  void aTaskThatThrowsIsRecordedAndTheRunGoesOn() {
    SimulatedScheduler s = new SimulatedScheduler(6);
    List<String> ran = new ArrayList<>();
    s.execute(() -> {
      throw new IllegalStateException("boom");
    });
    s.execute(() -> ran.add("next"));
    s.runUntilIdle(Duration.ZERO, 10);
    assertThat(ran).containsExactly("next");
    assertThat(s.uncaughtExceptions()).singleElement().asString().contains("boom");
    assertThat(s.firstUncaughtException()).get().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theTraceHashReplaysWithTheSeed() {
    assertThat(trace(11)).isEqualTo(trace(11));
    assertThat(trace(11)).isNotEqualTo(trace(12));
  }

  private static long trace(long seed) {
    SimulatedScheduler s = new SimulatedScheduler(seed);
    SimulatedScheduler.Process a = s.process("a");
    SimulatedScheduler.Process b = s.process("b");
    for (int i = 0; i < 20; i++) {
      a.io().execute(() -> b.control().execute(() -> { }));
      b.io().execute(() -> a.control().schedule(() -> { }, Duration.ofMillis(3)));
    }
    s.runUntilIdle(Duration.ZERO, 1000);
    return s.traceHash();
  }
}
