package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.testkit.SimulatedCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedClusterTest {

  @Test
  void threeNodesConverge() {
    try (SimulatedCluster c = SimulatedCluster.builder(1).nodes(3).build()) {
      c.startAll();
      c.write(0, "a.md", "hello");
      c.write(1, "notes/b.md", "world");
      c.run(Duration.ofSeconds(2));
      c.converge();
      c.assertInvariants();
      assertThat(c.tree(2).entries()).containsKeys("a.md", "notes", "notes/b.md");
    }
  }

  @Test
  void concurrentEditsMakeAConflictCopy() {
    try (SimulatedCluster c = SimulatedCluster.builder(2).nodes(3).build()) {
      c.startAll();
      c.write(0, "a.md", "hello");
      c.run(Duration.ofSeconds(2));
      c.partition(0);
      c.write(0, "a.md", "from 0");
      c.write(1, "a.md", "from 1");
      c.run(Duration.ofSeconds(2));
      c.heal();
      c.converge();
      c.assertInvariants();
      assertThat(c.tree(2).conflictCopies()).hasSize(1);
    }
  }
}
