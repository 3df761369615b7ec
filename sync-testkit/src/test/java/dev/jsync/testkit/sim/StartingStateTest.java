package dev.jsync.testkit.sim;

import static dev.jsync.testkit.StartingState.file;
import static dev.jsync.testkit.StartingState.folder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import dev.jsync.testkit.FolderTree;
import dev.jsync.testkit.SimulatedCluster;
import dev.jsync.testkit.SimulationFailure;
import dev.jsync.testkit.StartingState;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-seeded folders, and the checks that come with them. */
class StartingStateTest {

  /**
   * A vault copied to two devices: same bytes and bits, and the same times ({@code cp -a}) or
   * not (a plain copy). Shared with {@link SimulatorFoundBugsTest}.
   */
  static StartingState copiedVault(int files, boolean sameTimes) {
    List<StartingState.Seeded> entries = new ArrayList<>();
    for (int i = 1; i <= files; i++) {
      for (int node = 0; node < 2; node++) {
        entries.add(file(node, "vault/note " + i + ".md", i, i % 5 == 0, sameTimes ? 3_600 : 3_600 + 11L * node));
      }
    }
    entries.add(folder(0, "vault/empty"));
    entries.add(folder(1, "vault/empty"));
    return new StartingState(3, entries);
  }

  @Test
  void seededFilesAreOnDiskWithTheirBytesBitsAndTimesBeforeAnyNodeStarts() throws IOException {
    try (SimulatedCluster c = SimulatedCluster.builder(1).nodes(2).start(StartingState.of(0,
        file(0, "a.md", 5, true, 60), file(1, "a.md", 5, false, 0), file(1, "x", 6, false, 0),
        file(1, "x/below.md", 7, false, 0), folder(0, "empty"))).build()) {
      FolderTree t0 = c.tree(0);
      FolderTree t1 = c.tree(1);
      assertThat(t0.get("a.md")).isEqualTo(new FolderTree.File(dev.jsync.core.Sha256.of(StartingState.bytes(5)),
          StartingState.bytes(5).length, true));
      assertThat(((FolderTree.File) t1.get("a.md")).executable()).isFalse();
      assertThat(t0.entries()).containsKey("empty");
      assertThat(t1.entries()).as("a file below a file does not fit").containsKey("x").doesNotContainKey("x/below.md");
      assertThat(Files.getLastModifiedTime(c.node(0).folder().resolve("a.md")).toInstant())
          .isEqualTo(c.scheduler().start().minusSeconds(60));
      assertThat(c.identicalStartPaths()).as("a.md differs in its bit, x is on one node").isEmpty();
    }
  }

  @Test
  void nearlyIdenticalCopiesConvergeAndOnlyWhatDiffersMoves() {
    List<StartingState.Seeded> entries = new ArrayList<>(copiedVault(12, true).entries());
    entries.add(file(0, "only here.md", 100, false, 0));
    entries.add(file(0, "edited.md", 101, false, 100));
    entries.add(file(1, "edited.md", 102, false, 50));
    entries.add(file(0, "run.sh", 103, true, 0));
    entries.add(file(1, "run.sh", 103, false, 0));
    try (SimulatedCluster c = SimulatedCluster.builder(3).nodes(2).start(new StartingState(1, entries)).build()) {
      c.startAll();
      c.converge();
      c.assertInvariants();
      assertThat(c.identicalStartPaths()).hasSize(12).doesNotContain("only here.md", "edited.md", "run.sh");
      assertThat(c.network().blockBytesSent(RelativePath.of("only here.md"))).isPositive();
      assertThat(c.tree(1).entries()).containsKey("only here.md");
      assertThat(c.tree(1).conflictCopies()).as("edited.md and run.sh (bits set independently)").hasSize(2);
    }
  }

  @Test
  void aTempFileInAConvergedFolderFailsTheConvergenceCheck() throws IOException {
    try (SimulatedCluster c = SimulatedCluster.builder(4).nodes(2).build()) {
      c.startAll();
      c.write(0, "a.md", "hello");
      c.converge();
      c.assertConverged();
      Files.write(c.node(1).folder().resolve(RelativePath.TEMP_PREFIX + "left-behind"), new byte[] {1});
      assertThat(FolderTree.tempFiles(c.node(1).folder())).containsExactly(RelativePath.TEMP_PREFIX + "left-behind");
      assertThatThrownBy(c::assertConverged).isInstanceOf(SimulationFailure.class)
          .hasMessageContaining("no temp file violated").hasMessageContaining("left-behind");
    }
  }
}
