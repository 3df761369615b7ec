package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartupTimelineTest {

  @Test
  void eachPhaseRunsFromTheEndOfThePreviousOneAndTheTotalFromTheLaunch() {
    AtomicLong clock = new AtomicLong(5_000_000_000L);
    AtomicLong cpu = new AtomicLong(1_200_000_000L);
    StartupTimeline t = new StartupTimeline(clock::get, cpu::get, 4_000_000_000L); // launched a second ago
    t.mark("JVM and command line");
    clock.addAndGet(250_000_000L);
    cpu.addAndGet(400_000_000L);
    t.mark("index");
    clock.addAndGet(1_500_000_000L);
    cpu.addAndGet(100_000_000L);
    t.mark("identity and TLS");

    assertThat(t.summary()).isEqualTo("started in 2.75 s (1.70 s CPU): JVM and command line 1.00 s (1.20 s CPU),"
        + " index 0.25 s (0.40 s CPU), identity and TLS 1.50 s (0.10 s CPU)");
  }

  @Test
  void withoutTheProcessCpuTimeOnlyTheTimesAreShown() {
    AtomicLong clock = new AtomicLong(2_000_000_000L);
    StartupTimeline t = new StartupTimeline(clock::get, () -> -1, 0);
    t.mark("JVM and command line");
    assertThat(t.summary()).isEqualTo("started in 2.00 s: JVM and command line 2.00 s");
  }

  @Test
  void theProcessAgeIsTheUptimeMinusItsStartTicksEvenWithParenthesesInItsName() {
    // Field 22 (start time) is 12345 ticks of 10 ms: 123.45 s after boot; the uptime 130.00 s.
    String stat = "4242 (ja va) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 12 0 12345 1000 50 18446744073709551615";
    assertThat(StartupTimeline.age(stat, "130.00 250.17\n")).isEqualTo(6_550_000_000L);
  }

  @Test
  void onLinuxThisProcessIsSomeSecondsOldNotMinusOneOrAges() {
    StartupTimeline t = StartupTimeline.sinceLaunch();
    t.mark("all");
    String s = t.summary();
    double seconds = Double.parseDouble(s.substring("started in ".length(), s.indexOf(" s")));
    assertThat(seconds).isBetween(0.0, 3600.0);
  }
}
