package dev.jsync.testkit.example;

import static dev.jsync.testkit.Operation.crash;
import static dev.jsync.testkit.Operation.delete;
import static dev.jsync.testkit.Operation.partition;
import static dev.jsync.testkit.Operation.sleep;
import static dev.jsync.testkit.Operation.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.Scenario;
import dev.jsync.testkit.SimulationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * How a failure is replayed (docs/testkit.md): a failing run prints the scenario as Java, which
 * pastes into a test like this one; it then runs exactly as it did, step for step.
 */
class ReplayExampleTest {

  // As printed by a failure message (here, one that passes).
  private final Scenario printed = Scenario.of(7L, List.of("laptop", "desktop", "pi"),
      List.of(ClockSkew.none(), ClockSkew.ahead(Duration.parse("PT1H")), ClockSkew.none()),
      NetworkFaults.flaky(),
      List.of(
          write(0, "notes/c.md", 120),
          partition(0),
          write(1, "notes/c.md", 40),
          delete(2, "notes/c.md"),
          crash(1),
          sleep(2000),
          write(0, "a.md", 10)));

  @Test
  void aPrintedScenarioReplaysExactly() {
    SimulationReport first = printed.run();
    assertThat(printed.run()).isEqualTo(first);
  }

  @Test
  void aTraceNarratesTheRun() {
    List<String> lines = new ArrayList<>();
    printed.run(UnaryOperator.identity(), lines::add);
    assertThat(lines).anyMatch(l -> l.contains("laptop user: write(0, \"notes/c.md\", 120)"));
    assertThat(lines).anyMatch(l -> l.contains("fault: crash(1)"));
  }
}
