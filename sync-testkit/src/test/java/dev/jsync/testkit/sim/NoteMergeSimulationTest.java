package dev.jsync.testkit.sim;

import static dev.jsync.testkit.Operation.append;
import static dev.jsync.testkit.Operation.chmod;
import static dev.jsync.testkit.Operation.crash;
import static dev.jsync.testkit.Operation.delete;
import static dev.jsync.testkit.Operation.editLine;
import static dev.jsync.testkit.Operation.heal;
import static dev.jsync.testkit.Operation.mkdir;
import static dev.jsync.testkit.Operation.partition;
import static dev.jsync.testkit.Operation.rename;
import static dev.jsync.testkit.Operation.resetLink;
import static dev.jsync.testkit.Operation.restart;
import static dev.jsync.testkit.Operation.rmdir;
import static dev.jsync.testkit.Operation.sleep;
import static dev.jsync.testkit.Operation.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.Operation;
import dev.jsync.testkit.Platform;
import dev.jsync.testkit.Scenario;
import dev.jsync.testkit.SimulatedCluster;
import dev.jsync.testkit.SimulationFailure;
import dev.jsync.testkit.SimulationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
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

  /**
   * Both devices that hold the losing edit meet the winning one at once: the laptop edits, the pi
   * takes the laptop's edit, the desktop (cut off) edits later and wins. At the heal the laptop
   * and the pi each merge the same pair, concurrently: the same bytes, two merged versions with
   * one content, which join without a conflict copy, data moved or further changes (the
   * quiescence check), on one record everywhere. The desktop, holding the winner, merges nothing.
   */
  @Test
  void twoDevicesHoldingTheLoserMergeAtOnceAndSettleOnOneRecord() {
    List<Operation> ops = List.of(editLine(0, NOTE, 0), sleep(3_000), partition(1), editLine(0, NOTE, 2),
        sleep(3_000), editLine(1, NOTE, 6), heal());
    try (SimulatedCluster cluster = run(ops, true)) {
      cluster.assertInvariants();
      SimulationReport report = cluster.report();
      assertThat(report.noteEditsMerged()).isEqualTo(1);
      assertThat(report.conflictCopies()).isZero();
      assertThat(report.filesMerged()).isEqualTo(2);
      assertThat(cluster.node(1).events()).noneMatch(e -> e instanceof dev.jsync.core.SyncEvent.FileMerged);
      var path = dev.jsync.core.RelativePath.of(NOTE);
      var record = cluster.node(0).store().local(path).orElseThrow().record();
      for (int i = 1; i < 3; i++) {
        var other = cluster.node(i).store().local(path).orElseThrow().record();
        assertThat(other.version()).isEqualTo(record.version());
        assertThat(other.contentHash()).isEqualTo(record.contentHash());
      }
    }
  }

  /**
   * The vps deletes the note the laptop merged: its user saw both edits in the merge, so neither
   * edit is required to survive, and the check judges nothing (it once demanded the merge at a
   * path every node rightly deleted).
   */
  @Test
  void aDeleteOfTheMergedNoteLeavesThePairToTheOtherChecks() {
    SimulationReport report = Scenario.of(0L, List.of("laptop", "desktop", "pi", "vps"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.0, Duration.parse("PT0.2S"), 8,
            0.0, 0.0, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(heal(), editLine(3, "notes/c.md", 0), sleep(3000), partition(3), editLine(3, "notes/c.md", 1),
            editLine(0, "notes/c.md", 6), heal(), delete(3, "notes/c.md")))
        .withPlatforms(List.of(Platform.LINUX, Platform.MACOS, Platform.LINUX, Platform.LINUX))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isPositive();
    assertThat(report.noteEditsMerged()).isZero();
    assertThat(report.finalPaths()).isEqualTo(1); // the folder alone
  }

  /**
   * The pi edits line 7 and the desktop line 3 of a note; the desktop then edits line 2 of its
   * own version. The laptop merges the desktop's second edit with the pi's, the vps the first
   * with the pi's; the desktop merges the vps's merge with its second edit into the laptop's
   * bytes, which every device keeps: all three lines. The laptop's merge is also the merge, over
   * the desktop's second edit as base, of its first edit and the vps's merge, so a check that took
   * any three texts for a merge's sides counted the laptop's merge as a side of the vps's (it
   * cannot be: that base was made from one of the sides) and judged the vps's merge lost.
   */
  @Test
  void aBaseMadeFromOneSideIsNotTakenForTheCommonVersionOfAMerge() {
    SimulationReport report = Scenario.of(-9016956L, List.of("laptop", "desktop", "pi", "vps"),
        List.of(ClockSkew.none(), ClockSkew.behind(Duration.parse("PT2M")), ClockSkew.none(),
            ClockSkew.behind(Duration.parse("PT5S"))),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.3, Duration.parse("PT0.2S"), 8,
            0.0, 0.05, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S"), 0.0, 0.2, 0.0, 0.5),
        List.of(restart(0), sleep(5000), append(1, "notes/c.md", 36), heal(), editLine(0, "notes/c.md", 0),
            sleep(3000), partition(2), editLine(2, "notes/c.md", 7), editLine(1, "notes/c.md", 3), heal(),
            rename(0, "with space.txt", "x/z/w.md"), Operation.chmod(2, "a.md", false), sleep(108),
            editLine(1, "notes/c.md", 2), write(0, "b.txt", 84), rename(2, "b.txt", "notes/deep/e.md"),
            Operation.chmod(2, "notes/c.md", false), Operation.rmdir(3, "notes"), mkdir(2, "x")))
        .withPlatforms(List.of(Platform.MACOS, Platform.WINDOWS, Platform.WINDOWS, Platform.LINUX))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isGreaterThanOrEqualTo(3);
  }

  /**
   * The laptop changes the executable bit of its line edit once the partition heals: versions
   * whose bits differ are not merged (a conflict copy keeps one), and the check, which cannot
   * tell the chmod from the edit by content, leaves the pair to the other checks (it once
   * demanded the merge).
   */
  @Test
  void aChmodOfOneEditAfterTheEditsLeavesThePairToTheOtherChecks() {
    SimulationReport report = Scenario.of(0L, List.of("laptop", "desktop", "pi", "vps"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.0, Duration.parse("PT0.2S"), 8,
            0.0, 0.0, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(heal(), editLine(0, "b.txt", 0), sleep(3000), partition(0), editLine(0, "b.txt", 0),
            editLine(1, "b.txt", 2), heal(), new Operation.Chmod(0, "b.txt", true)))
        .withPlatforms(List.of(Platform.WINDOWS, Platform.MACOS, Platform.LINUX, Platform.WINDOWS))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.noteEditsMerged()).isZero();
    assertThat(report.noteEditsCopied()).isZero();
  }

  /**
   * The desktop, a Mac, changes the bit of A.md once the partition heals, which on its disk is
   * a.md, the note the laptop and the desktop edited apart: the bits differ, no merge, a
   * conflict copy, as with a chmod under the note's own name (above), and the check leaves the
   * pair to the other checks (it demanded the merge, looking for a chmod of a.md only). Seed 0,
   * as generated.
   */
  @Test
  void aChmodThroughACaseVariantOfTheNoteLeavesThePairToTheOtherChecks() {
    SimulationReport report = Scenario.of(0L, List.of("laptop", "desktop", "pi"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.0, Duration.parse("PT0.2S"), 8,
            0.0, 0.0, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(heal(), editLine(0, "a.md", 0), sleep(3000), partition(0), editLine(0, "a.md", 2),
            editLine(1, "a.md", 0), heal(), chmod(1, "A.md", true)))
        .withPlatforms(List.of(Platform.LINUX, Platform.MACOS, Platform.LINUX))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.operationsSkipped()).as("the chmod reached a.md").isZero();
    assertThat(report.noteEditsMerged()).isZero();
    assertThat(report.noteEditsCopied()).isZero();
  }

  /**
   * The pi merges the vps's line edit into its own, then that merge with the laptop's edit (made
   * over the vps's): the second merge's bytes are also the merge of the pi's edit with the
   * laptop's, and it holds the first merge's edits. The desktop's later write wins; the second
   * merge is kept as a copy, which is where the first merge survives (no lost write once counted
   * merges of every three texts that give the bytes; it once counted only the first three found).
   */
  @Test
  void aMergeOfAMergeKeepsTheFirstMergesEdits() {
    SimulationReport report = Scenario.of(34L, List.of("laptop", "desktop", "pi", "vps", "phone"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.ahead(Duration.parse("PT2S")).withDrift(-50)),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.3, Duration.parse("PT0.2S"), 8, 0.0, 0.0, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(
            write(0, "a.md", 13),
            delete(0, "notes/c.md"),
            mkdir(4, "x"),
            append(3, "notes/c.md", 2),
            append(0, "A.md", 100),
            delete(1, "b.txt"),
            heal(),
            editLine(1, "a.md", 0),
            sleep(3000),
            partition(2),
            editLine(2, "a.md", 6),
            editLine(3, "a.md", 1),
            heal(),
            write(2, "notes/c.md", 12),
            delete(1, "notes/c.md"),
            editLine(0, "a.md", 2),
            write(4, "b.txt", 13),
            write(1, "a.md", 40),
            write(4, "a.md", 262243),
            sleep(607),
            sleep(107),
            write(0, "a.md", 1001),
            crash(1),
            editLine(1, "a.md", 0),
            rename(0, "notes/c.md", "notes/c.md"))).run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isEqualTo(2);
  }

  /**
   * Three users edit the note at once: the pi line 1, the desktop and the laptop line 2. Lines 1
   * and 2 touch, so nothing merges: the pi's edit (its clock ahead) wins everywhere and the two
   * line-2 edits are kept in conflict copies. The desktop's user then deletes the note, the pi's
   * edit. Every device ends with the two copies and no note, as the rule says of a delete after
   * a conflict; the check, which once held the two line-2 edits to "one at the path, the other in
   * a copy", leaves the pair alone once a user removed what the path held.
   */
  @Test
  void aDeleteOfAThirdEditThatWonLeavesThePairToTheOtherChecks() {
    SimulationReport report = Scenario.of(0L, List.of("laptop", "desktop", "pi"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.ahead(Duration.parse("PT2S"))),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.0, Duration.parse("PT0.2S"), 8,
            0.0, 0.0, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(heal(), editLine(0, "notes/c.md", 0), sleep(3000), editLine(2, "notes/c.md", 1),
            editLine(1, "notes/c.md", 2), editLine(0, "notes/c.md", 2), sleep(200), delete(1, "notes/c.md")))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isZero();
    assertThat(report.conflictCopies()).isEqualTo(2);
    assertThat(report.noteEditsCopied()).isZero();
  }

  /**
   * The desktop meets the pi only at the end: it takes the pi's common version of the note and
   * then the laptop's edit of line 6 from the laptop, the one peer it has met, while the pi,
   * cut off from the laptop, edits line 3. The pi's edit reaches the desktop first; the desktop
   * holds the losing edit and merges. It once dropped the common version as a base when it took
   * the laptop's edit, since every peer it had met held that edit, and so kept the laptop's edit
   * as a conflict copy that every device took; the pi, which wrote the common version, is named
   * in the edit's vector and now counts as a device that may still need it.
   */
  @Test
  void aRelayKeepsTheCommonVersionForADeviceItHasNotMetAndMerges() {
    SimulationReport report = relayMeetingThePiLast(-132L, 2);
    assertThat(report.noteEditsMerged()).isEqualTo(1);
    assertThat(report.filesMerged()).isPositive();
    assertThat(report.conflictCopies()).isZero();
  }

  /**
   * As above, but the laptop writes the common version too: the desktop, which has met only the
   * laptop, takes the laptop's edit of line 6 from it and every device it knows of, or sees named
   * in a version of the note, holds that edit. The pi took the common version through another
   * link and edits line 3 of it. The desktop must still hold the common version to merge: the
   * version right before the one a device holds stays a base whoever is known to have moved past.
   */
  @Test
  void theCommonVersionStaysForADeviceNoVersionNamesAndTheRelayMerges() {
    SimulationReport report = relayMeetingThePiLast(-179L, 0);
    assertThat(report.noteEditsMerged()).isEqualTo(1);
    assertThat(report.conflictCopies()).isZero();
  }

  /**
   * The desktop has met only the laptop when node {@code commonAuthor} writes the note's common
   * version; then, the laptop cut off, the laptop edits line 6 and the pi line 3.
   */
  private static SimulationReport relayMeetingThePiLast(long seed, int commonAuthor) {
    return Scenario.of(seed, List.of("laptop", "desktop", "pi"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.05S"), 0L, 0.3, Duration.parse("PT0.2S"), 8,
            0.0, 0.005, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(
            partition(0, 1),
            delete(0, "a.md"),
            write(0, "b.txt", 1),
            append(0, "a.md", 1),
            restart(0),
            append(0, "a.md", 1),
            mkdir(0, "x"),
            write(1, "A.md", 1),
            resetLink(1, 2),
            sleep(20000),
            resetLink(1, 0),
            mkdir(2, "notes"),
            sleep(1019),
            rename(0, "A.md", "a.md"),
            sleep(154),
            heal(),
            editLine(commonAuthor, NOTE, 0),
            sleep(3000),
            partition(0),
            editLine(0, NOTE, 6),
            editLine(2, NOTE, 3),
            heal()))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
  }

  /**
   * The pi writes b.txt empty, the desktop's line edit turns it into a note every device takes,
   * then the vps (cut off) and the laptop edit lines 1 and 5 of it, and the pi writes b.txt empty
   * again over the laptop's edit. The vps merges the two edits on the desktop's note: a merge
   * the atomicity check must recognise, although the empty content was later written again from
   * the laptop's edit (WriteHistory keeps each content's first origin).
   */
  @Test
  void aMergeOnANoteMadeFromContentWrittenAgainLaterIsRecognised() {
    SimulationReport report = Scenario.of(5L, List.of("laptop", "desktop", "pi", "vps"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.005S"), 0L, 0.3, Duration.parse("PT0.2S"), 8,
            0.05, 0.005, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(
            append(3, "with space.txt", 2),
            delete(2, "x"),
            mkdir(0, "empty/inner"),
            write(0, "notes/c.md", 178),
            delete(2, "b.txt"),
            delete(1, "notes/c.md"),
            write(1, "b.txt", 49),
            write(0, "with space.txt", 17),
            editLine(0, "x/z/w.md", 7),
            write(2, "b.txt", 0),
            write(1, "notes/c.md", 73),
            sleep(557),
            chmod(2, "A.md", true),
            heal(),
            editLine(1, "b.txt", 0),
            sleep(3000),
            partition(3),
            editLine(3, "b.txt", 1),
            editLine(0, "b.txt", 5),
            heal(),
            write(2, "b.txt", 0)))
        .withPlatforms(List.of(Platform.LINUX, Platform.WINDOWS, Platform.MACOS, Platform.LINUX))
        .run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isPositive();
  }

  /**
   * Two devices make the same merge, and a user deletes one of them: the delete stays. The
   * laptop writes a note every device keeps; then, each cut off from the others, the laptop edits
   * line 2 and passes its edit to the pi, and the desktop edits line 6 later (its edit wins) and
   * passes it to the phone. The phone brings the desktop's edit to the pi and the desktop meets
   * the laptop: the pi and the laptop each merge the same two edits into the same bytes, each a
   * new version of its own. The vps takes the laptop's merge and its user deletes the note. The
   * pi's merge is concurrent with that delete, and an edit beats a concurrent delete; but the
   * pi's merge holds no edit of its own, and the delete's history holds both edits it merged, so
   * the delete follows it and wins (docs/conflicts.md, "A merge whose edits the other history
   * holds"). Counted as an edit, the pi's merge would come back everywhere.
   */
  @Test
  void aDeleteOfAMergeIsNotUndoneByTheSameMergeMadeOnAnotherDevice() {
    try (SimulatedCluster c = SimulatedCluster.builder(2).nodes("laptop", "desktop", "pi", "vps", "phone")
        .options(o -> o.withMergeable(MergeableFiles.defaults())).build()) {
      c.startAll();
      c.apply(editLine(0, NOTE, 0)); // a new note of eight lines, the common version
      c.run(Duration.ofSeconds(3));
      for (int i = 0; i < 5; i++) {
        c.partition(i);
      }
      c.apply(editLine(0, NOTE, 2));
      meetAlone(c, 0, 2); // the pi takes the laptop's edit
      c.apply(editLine(1, NOTE, 6));
      meetAlone(c, 1, 4); // the phone takes the desktop's
      meetAlone(c, 4, 2); // the pi merges
      meetAlone(c, 1, 0); // the laptop merges
      meetAlone(c, 0, 3); // the vps takes the laptop's merge
      assertThat(c.delete(3, NOTE)).isTrue();
      c.heal();
      c.converge();
      c.assertInvariants();
      assertThat(c.report().filesMerged()).isEqualTo(2);
      for (int i = 0; i < 5; i++) {
        assertThat(c.tree(i).get(NOTE)).as("node %d", i).isNull();
        assertThat(c.tree(i).conflictCopies()).as("node %d", i).isEmpty();
      }
    }
  }

  /** Lets nodes {@code x} and {@code y} meet, every other node cut off, for five seconds. */
  private static void meetAlone(SimulatedCluster c, int x, int y) {
    c.healNetwork();
    for (int i = 0; i < c.nodes().size(); i++) {
      if (i != x && i != y) {
        c.partition(i);
      }
    }
    c.run(Duration.ofSeconds(5));
  }

  /**
   * The generated run (seed 2) of the case above: the laptop and the pi merge the same two edits
   * of {@code notes/c.md}, the vps takes the laptop's merge and deletes it; the pi's merge,
   * concurrent with the delete, must not bring the note back.
   */
  @Test
  void seed2ADeleteOfAMergeStaysWhereAnotherDeviceMadeTheSameMerge() {
    SimulationReport report = Scenario.of(2L, List.of("laptop", "desktop", "pi", "vps", "phone"),
        List.of(ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none(), ClockSkew.none()),
        new NetworkFaults(Duration.parse("PT0.001S"), Duration.parse("PT0.3S"), 0L, 0.02, Duration.parse("PT0.2S"), 8,
            0.0, 0.005, Duration.parse("PT15S"), Duration.parse("PT0.5S"), Duration.parse("PT8S")),
        List.of(
            chmod(1, "x/z/w.md", true),
            write(2, "notes/c.md", 1068),
            editLine(2, "notes/c.md", 5),
            editLine(1, "A.md", 2),
            write(2, "caf\u00e9 \u4e2d.md", 1015),
            rmdir(1, "x/z"),
            heal(),
            editLine(4, "notes/c.md", 0),
            sleep(3000),
            editLine(0, "notes/c.md", 6),
            editLine(1, "notes/c.md", 1),
            delete(2, "a.md"),
            sleep(50),
            append(2, "with space.txt", 20),
            append(1, "notes/d.md", 79),
            delete(3, "notes/c.md"),
            mkdir(2, "x"),
            write(4, "b.txt", 9),
            resetLink(4, 3),
            sleep(41),
            rename(4, "b.txt", "b.txt"))).run(o -> o.withMergeable(MergeableFiles.defaults()));
    assertThat(report.filesMerged()).isGreaterThanOrEqualTo(2);
  }
}
