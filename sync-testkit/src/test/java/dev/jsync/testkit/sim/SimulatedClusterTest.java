package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.testkit.FolderTree;
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

  /**
   * A node crashes while a download's temp file holds blocks it never flushed: the crash takes
   * the temp file away (its disk never made it durable), and after the restart the download
   * starts over and the file arrives whole.
   */
  @Test
  void aCrashLosesADownloadNotYetFlushedAndTheFileStillArrives() throws Exception {
    try (SimulatedCluster c = SimulatedCluster.builder(4).nodes(2).build()) {
      c.startAll();
      c.run(Duration.ofSeconds(1));
      byte[] big = new byte[600_000];
      new java.util.Random(4).nextBytes(big);
      c.write(0, "big.bin", big);
      java.nio.file.Path folder = c.node(1).folder();
      assertThat(c.scheduler().runUntil(() -> tempBytes(folder) > 0, 100_000)).isTrue();
      c.crash(1);
      assertThat(FolderTree.tempFiles(folder)).isEmpty();
      c.heal();
      c.converge();
      c.assertInvariants();
      assertThat(java.nio.file.Files.readAllBytes(folder.resolve("big.bin"))).isEqualTo(big);
    }
  }

  private static long tempBytes(java.nio.file.Path folder) {
    try (var s = java.nio.file.Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().startsWith(dev.jsync.core.RelativePath.TEMP_PREFIX)).mapToLong(p -> {
        try {
          return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
          return 0;
        }
      }).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
