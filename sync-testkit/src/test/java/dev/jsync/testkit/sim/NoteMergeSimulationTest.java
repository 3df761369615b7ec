package dev.jsync.testkit.sim;

import static dev.jsync.testkit.Operation.editLine;
import static dev.jsync.testkit.Operation.heal;
import static dev.jsync.testkit.Operation.partition;
import static dev.jsync.testkit.Operation.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.testkit.Operation;
import dev.jsync.testkit.SimulatedCluster;
import dev.jsync.testkit.SimulationFailure;
import dev.jsync.testkit.SimulationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's check of merged notes (docs/testkit.md, "Merged notes") on directed schedules:
 * two users, cut off from each other, edit a line each of a note every node holds. Lines far
 * apart are merged (both edits in the note, no conflict copy); the same line is a conflict (one
 * edit in the note, the other in a copy); and the check fails where a merged note's edit ends
 * in a conflict copy after all.
 */
class NoteMergeSimulationTest {

  private static final String NOTE = "notes/plan.md";

  private static List<Operation> editApart(int first, int second) {
    return List.of(editLine(0, NOTE, 0), sleep(3_000), partition(1), editLine(1, NOTE, first),
        editLine(2, NOTE, second), heal());
  }

  private static SimulatedCluster run(List<Operation> ops, boolean merging) {
    SimulatedCluster cluster = SimulatedCluster.builder(23).nodes("laptop", "desktop", "pi")
        .options(o -> merging ? o.withMergeable(MergeableFiles.defaults()) : o).build();
    cluster.startAll();
    for (Operation op : ops) {
      cluster.apply(op);
      cluster.run(java.time.Duration.ofMillis(200));
    }
    cluster.heal();
    cluster.converge();
    return cluster;
  }

  @Test
  void editsOfLinesFarApartAreMergedWithNoConflictCopyOnEveryNode() {
    try (SimulatedCluster cluster = run(editApart(2, 6), true)) {
      cluster.assertInvariants();
      SimulationReport report = cluster.report();
      assertThat(report.noteEditsMerged()).isEqualTo(1);
      assertThat(report.filesMerged()).isPositive();
      assertThat(report.conflictCopies()).isZero();
      String text = new String(read(cluster, 0), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text.lines().toList()).hasSize(8).anyMatch(l -> l.contains("desktop:" + NOTE + " line 2"))
          .anyMatch(l -> l.contains("pi:" + NOTE + " line 6"));
    }
  }

  @Test
  void editsOfTheSameLineEndAsTheNoteAndAConflictCopy() {
    try (SimulatedCluster cluster = run(editApart(3, 3), true)) {
      cluster.assertInvariants();
      SimulationReport report = cluster.report();
      assertThat(report.noteEditsCopied()).isEqualTo(1);
      assertThat(report.filesMerged()).isZero();
      assertThat(report.conflictCopies()).isEqualTo(1);
    }
  }

  @Test
  void withoutMergingEditsFarApartEndAsTheNoteAndAConflictCopy() {
    try (SimulatedCluster cluster = run(editApart(2, 6), false)) {
      cluster.assertInvariants();
      assertThat(cluster.report().noteEditsCopied()).isEqualTo(1);
      assertThat(cluster.report().filesMerged()).isZero();
    }
  }

  /** The check plays a wrong outcome: a merged note whose one edit also sits in a conflict copy. */
  @Test
  void theCheckFailsWhereAMergedEditAlsoEndsInAConflictCopy() throws IOException {
    try (SimulatedCluster cluster = run(editApart(2, 6), true)) {
      cluster.assertNoteEditsMerged();
      // What the loser's device would keep had it not merged: its own edit, as a copy.
      for (int i = 0; i < 3; i++) {
        var folder = cluster.node(i).folder();
        Files.write(folder.resolve("notes/plan.conflict-20261207-013022-aaaaaaa.md"), loserText(cluster));
      }
      assertThatThrownBy(cluster::assertNoteEditsMerged).isInstanceOf(SimulationFailure.class)
          .hasMessageContaining("merged notes");
    }
  }

  private static byte[] read(SimulatedCluster cluster, int node) {
    try {
      return Files.readAllBytes(cluster.node(node).folder().resolve(NOTE));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The desktop's edit alone: the merged note with the pi's line put back as the writer made it. */
  private static byte[] loserText(SimulatedCluster cluster) {
    String merged = new String(read(cluster, 0), java.nio.charset.StandardCharsets.UTF_8);
    String[] lines = merged.split("\n", -1);
    lines[6] = lines[0].replace(" line 0", " line 6");
    return String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
