package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.testkit.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator on real folders: virtual time still drives the nodes and stamps the files. */
class RealFoldersTest {

  @TempDir
  Path dir;

  @Test
  void aClusterOnRealFoldersKeepsEveryInvariant() throws Exception {
    try (SimulatedCluster c = SimulatedCluster.builder(21).nodes(3).realFolders(dir).build()) {
      c.startAll();
      c.write(0, "notes/plan.md", "on disk");
      c.mkdir(1, "empty/folder");
      c.write(2, "run.sh", "#!/bin/sh");
      c.chmod(2, "run.sh", true);
      c.run(Duration.ofSeconds(2));
      c.partition(0);
      c.write(0, "notes/plan.md", "laptop's edit");
      c.write(1, "notes/plan.md", "desktop's edit");
      c.run(Duration.ofSeconds(2));
      c.heal();
      c.converge();
      c.assertInvariants();
      assertThat(Files.isDirectory(dir.resolve("n2/empty/folder"))).isTrue();
      assertThat(Files.isExecutable(dir.resolve("n0/run.sh"))).isTrue();
      assertThat(c.tree(1).conflictCopies()).hasSize(1);
    }
  }
}
