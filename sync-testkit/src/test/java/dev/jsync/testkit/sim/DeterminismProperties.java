package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.testkit.Scenario;
import dev.jsync.testkit.SimulatedCluster;
import dev.jsync.testkit.SimulationReport;
import dev.jsync.testkit.SyncArbitraries;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The same seed replays the same run, step for step: that is what makes a failure replayable. */
class DeterminismProperties {

  @Property(tries = 30)
  void aScenarioRunTwiceRunsTheSameSteps(@ForAll("scenarios") Scenario scenario) {
    SimulationReport first = scenario.run();
    SimulationReport second = scenario.run();
    assertThat(second).isEqualTo(first);
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return SyncArbitraries.scenarios();
  }

  @Test
  void anotherSeedRunsOtherwise() {
    long[] traces = new long[4];
    for (int seed = 0; seed < traces.length; seed++) {
      traces[seed] = run(seed);
    }
    assertThat(traces).doesNotHaveDuplicates();
    assertThat(run(2)).isEqualTo(traces[2]);
  }

  private static long run(long seed) {
    try (SimulatedCluster c = SimulatedCluster.builder(seed).nodes(3).build()) {
      c.startAll();
      c.write(0, "a.md", "zero");
      c.write(1, "a.md", "one");
      c.write(2, "b.md", "two");
      c.run(Duration.ofSeconds(1));
      c.heal();
      c.converge();
      c.assertInvariants();
      return c.report().traceHash();
    }
  }
}
