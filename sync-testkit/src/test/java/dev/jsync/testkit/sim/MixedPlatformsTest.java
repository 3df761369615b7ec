package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.NameProblem;
import dev.jsync.core.RelativePath;
import dev.jsync.testkit.Platform;
import dev.jsync.testkit.SimulatedCluster;
import dev.jsync.testkit.SimulationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clusters that mix Linux, macOS and Windows nodes (docs/filesystems.md): the invariants hold
 * across them, and a collision one platform cannot hold is refused there and reported.
 */
class MixedPlatformsTest {

  private static SimulatedCluster mixed(long seed) {
    return SimulatedCluster.builder(seed).nodes("linux", "mac", "windows")
        .platforms(List.of(Platform.LINUX, Platform.MACOS, Platform.WINDOWS)).build();
  }

  @Test
  void editsRenamesAndDeletesConvergeAcrossThePlatforms() {
    try (SimulatedCluster c = mixed(21)) {
      c.startAll();
      c.write(0, "notes/caf\u00e9 \u4e2d.md", "from linux");
      c.write(1, "a.md", "from the mac");
      c.write(2, "x/y.md", "from windows");
      c.run(Duration.ofSeconds(2));
      c.rename(1, "notes/caf\u00e9 \u4e2d.md", "notes/renamed.md");
      c.partition(2);
      c.write(2, "a.md", "windows, offline");
      c.write(0, "a.md", "linux, online");
      c.delete(0, "x/y.md");
      c.run(Duration.ofSeconds(2));
      c.heal();
      c.converge();
      c.assertInvariants();
      assertThat(c.tree(2).entries()).containsKeys("notes/renamed.md", "a.md");
      assertThat(c.tree(1).conflictCopies()).hasSize(1);
    }
  }

  @Test
  void aCaseVariantIsRefusedOnTheFoldingNodesAndReportedThere() {
    try (SimulatedCluster c = mixed(22)) {
      c.startAll();
      c.write(0, "plan.md", "lower");
      c.run(Duration.ofSeconds(2));
      c.write(0, "Plan.md", "upper");
      c.run(Duration.ofSeconds(2));
      c.converge();

      assertThat(c.tree(0).entries()).containsKeys("plan.md", "Plan.md");
      for (int folding : new int[] {1, 2}) {
        assertThat(c.tree(folding).entries()).containsOnlyKeys("plan.md");
        List<NameProblem> problems = c.node(folding).syncNode().status().nameProblems();
        assertThat(problems).singleElement().satisfies(p -> {
          assertThat(p.path()).isEqualTo(RelativePath.of("Plan.md"));
          assertThat(p.collidesWith()).contains(RelativePath.of("plan.md"));
        });
        assertThat(c.tree(folding).conflictCopies()).isEmpty();
      }
      // Converged but for the refusals, which are reported; nothing lost, nothing back.
      c.assertInvariants();

      // Deleting the variant the folding nodes hold lets the other arrive there.
      c.delete(0, "plan.md");
      c.converge();
      c.assertInvariants();
      for (int n = 0; n < 3; n++) {
        assertThat(c.tree(n).entries()).containsOnlyKeys("Plan.md");
        assertThat(c.node(n).syncNode().status().nameProblems()).isEmpty();
      }
    }
  }

  /**
   * Where trees differ both at a refused variant and elsewhere, the convergence failure names
   * the pair of nodes whose trees differ outside what either refuses, and that difference, not
   * the first node and the first node whose tree differs at all.
   */
  @Test
  void aConvergenceFailureBesideARefusalNamesThePairThatDiffersOutsideIt() {
    try (SimulatedCluster c = mixed(23)) {
      c.startAll();
      c.write(0, "plan.md", "lower");
      c.run(Duration.ofSeconds(2));
      c.write(0, "Plan.md", "upper");
      c.run(Duration.ofSeconds(2));
      c.converge();
      c.partition(2);
      c.write(2, "only-here.md", "windows, offline");
      c.run(Duration.ofSeconds(2));

      assertThatThrownBy(c::assertConverged).isInstanceOf(SimulationFailure.class)
          .hasMessageContaining("and windows differ outside the paths either refuses:\n    only-here.md: ")
          .hasMessageContaining("refused: linux [], windows [NameProblem[path=Plan.md");
    }
  }
}
