package dev.jsync.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.ConflictResolver;
import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.FolderTree;
import dev.jsync.testkit.ResolverProperties;
import dev.jsync.testkit.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Example;

/**
 * The worked example of docs/testkit.md: property-testing a custom resolver with the kit.
 * Extending {@link ResolverProperties} runs every ready-made property against it; the example
 * below adds a directed scenario of our own.
 */
class LaptopAlwaysWinsProperties extends ResolverProperties {

  @Override
  protected ConflictResolver resolver() {
    return new LaptopAlwaysWins();
  }

  /** The desktop's clock is an hour ahead, so newest-wins would pick it; ours picks the laptop. */
  @Example
  void theLaptopKeepsTheNameAndTheDesktopsEditIsKept() {
    try (SimulatedCluster cluster = SimulatedCluster.builder(42)
        .nodes("laptop", "desktop", "pi")
        .skews(List.of(ClockSkew.none(), ClockSkew.ahead(Duration.ofHours(1)), ClockSkew.none()))
        .options(o -> o.withResolver(resolver()))
        .build()) {
      cluster.startAll();
      cluster.write(0, "plan.md", "first draft");
      cluster.run(Duration.ofSeconds(2));

      cluster.partition(0); // the laptop goes offline
      cluster.write(0, "plan.md", "the laptop's edit");
      cluster.write(1, "plan.md", "the desktop's edit");
      cluster.run(Duration.ofSeconds(5));

      cluster.heal();
      cluster.converge();
      cluster.assertInvariants(); // converged, no lost write, no resurrection, quiescent

      FolderTree pi = cluster.tree(2);
      assertThat(pi.get("plan.md")).isEqualTo(cluster.tree(0).get("plan.md"));
      assertThat(pi.conflictCopies()).singleElement().asString().contains("plan.md.conflict-");
    }
  }
}
