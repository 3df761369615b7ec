package dev.jsync.testkit;

import static dev.jsync.testkit.Operation.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.merge.MergeableFiles;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A failure's replay script runs the scenario with the options the failing run merged notes under. */
class FailureReplayTest {

  private static final Scenario SCENARIO = Scenario.of(2L, List.of("laptop", "desktop", "pi"),
      List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none()), NetworkFaults.none(),
      List.of(write(0, "a.md", 1)));

  private static String replayOf(UnaryOperator<dev.jsync.core.SyncOptions> options) {
    try (SimulatedCluster c = SimulatedCluster.builder(SCENARIO.seed()).nodes("laptop", "desktop", "pi")
        .options(options).scenario(SCENARIO).build()) {
      String message = c.fail("converged", "laptop and desktop differ", null).getMessage();
      return message.substring(message.indexOf("replay with:"));
    }
  }

  @Test
  void aRunWithoutMergingReplaysWithThePlainRun() {
    assertThat(replayOf(UnaryOperator.identity())).contains("Scenario.of(2L").endsWith(".run();\n");
  }

  @Test
  void aRunThatMergedNotesReplaysWithMergingOn() {
    assertThat(replayOf(o -> o.withMergeable(MergeableFiles.defaults())))
        .endsWith(".run(o -> o.withMergeable(MergeableFiles.defaults()));\n");
  }

  @Test
  void otherMergeableFilesAreSpelledOut() {
    assertThat(replayOf(o -> o.withMergeable(MergeableFiles.of(Set.of("org"), 4096))))
        .endsWith(".run(o -> o.withMergeable(MergeableFiles.of(Set.of(\"org\"), 4096L)));\n");
  }
}
