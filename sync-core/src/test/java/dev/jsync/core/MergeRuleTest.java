package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MergeRuleTest {

  private static final DeviceId A = DeviceId.fromName("laptop");
  private static final DeviceId B = DeviceId.fromName("desktop");
  private static final DeviceId C = DeviceId.fromName("pi");
  private static final Reconciler RECONCILER = new Reconciler(NewestWinsResolver.defaults(), MergeableFiles.defaults());

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FileRecord note(String path, String content, long mtime, VersionVector v, DeviceId by) {
    return Gen.fileWith(path, utf8(content), mtime, false, v, by);
  }

  private static final VersionVector BASE = VersionVector.empty().increment(A);
  private static final FileRecord OURS = note("x.md", "a edited\nb\n", 100, BASE.increment(A), A);
  private static final FileRecord THEIRS = note("x.md", "a\nb edited\n", 200, BASE.increment(B), B);

  @Test
  void onlyTheLosingSideOfAConflictOfTwoNotesMayMerge() {
    Decision lost = RECONCILER.decide(Optional.of(OURS), THEIRS);
    assertThat(lost).isInstanceOf(Decision.Apply.class);
    assertThat(MergeRule.mayMerge(lost, OURS, THEIRS, MergeableFiles.defaults())).isTrue();
    // The winner keeps its version and waits, as for any conflict.
    Decision won = RECONCILER.decide(Optional.of(THEIRS), OURS);
    assertThat(MergeRule.mayMerge(won, THEIRS, OURS, MergeableFiles.defaults())).isFalse();
    // Not a note, merging off, different bits, or a version that follows ours: no merge.
    FileRecord data = note("x.db", "1", 100, BASE.increment(A), A);
    FileRecord dataTheirs = note("x.db", "2", 200, BASE.increment(B), B);
    assertThat(MergeRule.mayMerge(RECONCILER.decide(Optional.of(data), dataTheirs), data, dataTheirs,
        MergeableFiles.defaults())).isFalse();
    assertThat(MergeRule.mayMerge(lost, OURS, THEIRS, MergeableFiles.none())).isFalse();
    FileRecord executable = Gen.fileWith("x.md", utf8("a\nb edited\n"), 200, true, BASE.increment(B), B);
    assertThat(MergeRule.mayMerge(RECONCILER.decide(Optional.of(OURS), executable), OURS, executable,
        MergeableFiles.defaults())).isFalse();
    FileRecord newer = note("x.md", "a\n", 50, OURS.version().increment(B), B);
    assertThat(MergeRule.mayMerge(RECONCILER.decide(Optional.of(OURS), newer), OURS, newer,
        MergeableFiles.defaults())).isFalse();
    // The loser's conflict copy, where a merge is not possible, keeps the note's extension.
    assertThat(((Decision.Apply) lost).conflictCopy().orElseThrow().name()).endsWith("-" + A.shortId() + ".md");
  }

  @Test
  void aMergedVersionFollowsBothAndIsMadeByTheMerger() {
    byte[] bytes = MergeRule.merge(utf8("a\nx\nb\n"), utf8("a edited\nx\nb\n"), utf8("a\nx\nb edited\n")).orElseThrow();
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("a edited\nx\nb edited\n");
    FileRecord merged = MergeRule.merged(OURS, THEIRS, bytes, A, 0);
    assertThat(merged.version().compare(OURS.version())).isEqualTo(Causality.AFTER);
    assertThat(merged.version().compare(THEIRS.version())).isEqualTo(Causality.AFTER);
    assertThat(merged.modifiedBy()).isEqualTo(A);
    assertThat(merged.modifiedNanos()).isEqualTo(200);
    assertThat(merged.contentHash()).isEqualTo(MergeBases.contentHashOf(bytes));
    assertThat(merged.size()).isEqualTo(bytes.length);
    // It records what it merged: the change that made each side's content.
    assertThat(merged.mergedFrom()).isEqualTo(VersionVector.empty().increment(A, 2).increment(B, 1));
    assertThat(merged.version().compare(merged.mergedFrom())).isEqualTo(Causality.AFTER);
    // Both peers take it as a newer version, with no conflict.
    assertThat(RECONCILER.decide(Optional.of(THEIRS), merged).reason()).isEqualTo(Decision.Reason.REMOTE_IS_NEWER);
    assertThat(RECONCILER.decide(Optional.of(OURS), merged).reason()).isEqualTo(Decision.Reason.REMOTE_IS_NEWER);
    // Overlapping edits: no merge.
    assertThat(MergeRule.merge(utf8("a\n"), utf8("b\n"), utf8("c\n"))).isEmpty();
    // A side whose text is the base's (a chmod, an edit undone) is not merged away into the other's.
    assertThat(MergeRule.merge(utf8("a\nx\nb\n"), utf8("a\nx\nb\n"), utf8("a\nx\nb edited\n"))).isEmpty();
    assertThat(MergeRule.merge(utf8("a\nx\nb\n"), utf8("a edited\nx\nb\n"), utf8("a\nx\nb\n"))).isEmpty();
  }

  @Test
  void twoDevicesThatMergeTheSamePairConcurrentlySettleOnOneRecordWithoutMovingData() {
    byte[] bytes = MergeRule.merge(utf8("a\nx\nb\n"), utf8("a edited\nx\nb\n"), utf8("a\nx\nb edited\n")).orElseThrow();
    // The laptop merges the pair, and so does a relay (the pi) that held the laptop's version.
    FileRecord onA = MergeRule.merged(OURS, THEIRS, bytes, A, 0);
    byte[] again = MergeRule.merge(utf8("a\nx\nb\n"), utf8("a\nx\nb edited\n"), utf8("a edited\nx\nb\n")).orElseThrow();
    FileRecord onC = MergeRule.merged(OURS, THEIRS, again, C, 0);
    assertThat(again).isEqualTo(bytes);
    assertThat(onA.version().compare(onC.version())).isEqualTo(Causality.CONCURRENT);

    Decision atA = RECONCILER.decide(Optional.of(onA), onC);
    Decision atC = RECONCILER.decide(Optional.of(onC), onA);
    assertThat(atA).isInstanceOf(Decision.Adopt.class);
    assertThat(atC).isInstanceOf(Decision.Adopt.class);
    FileRecord recordA = ((Decision.Change) atA).recordedBy(A, 0);
    FileRecord recordC = ((Decision.Change) atC).recordedBy(C, 0);
    assertThat(recordA).isEqualTo(recordC);
    // And then nothing more happens: no ping-pong.
    assertThat(RECONCILER.decide(Optional.of(recordA), recordC)).isEqualTo(new Decision.Keep(Decision.Reason.EQUAL));
    assertThat(RECONCILER.decide(Optional.of(recordA), onA)).isInstanceOf(Decision.Keep.class);
    assertThat(RECONCILER.decide(Optional.of(recordA), onC)).isInstanceOf(Decision.Keep.class);
  }

  private static final DeviceId D = DeviceId.fromName("vps");
  private static final byte[] MERGED = MergeRule.merge(utf8("a\nx\nb\n"), utf8("a edited\nx\nb\n"),
      utf8("a\nx\nb edited\n")).orElseThrow();

  /**
   * The laptop (A) and the pi (C) merge the same pair into the same bytes; the vps (D) takes the
   * laptop's merge and deletes it. The pi's merge is concurrent with the delete, but it holds no
   * edit of its own: the delete's history holds both edits it merged, so the delete wins on both
   * sides, without a copy (an edit would beat a concurrent delete), and the record the pi keeps
   * follows both, so the vps takes it too.
   */
  @Test
  void aDeleteWhoseHistoryHoldsBothEditsOfAMergeWinsOverTheSameMergeMadeElsewhere() {
    FileRecord onA = MergeRule.merged(OURS, THEIRS, MERGED, A, 0);
    FileRecord onC = MergeRule.merged(OURS, THEIRS, MERGED, C, 0);
    FileRecord deleted = onA.toTombstone(onA.version().increment(D), D, 300);
    assertThat(deleted.version().compare(onC.version())).isEqualTo(Causality.CONCURRENT);

    VersionVector both = deleted.version().merge(onC.version());
    Decision atC = RECONCILER.decide(Optional.of(onC), deleted);
    assertThat(atC).isEqualTo(new Decision.Apply(deleted.withVersion(both), Optional.empty(),
        Decision.Reason.REMOTE_SAW_LOCAL));
    assertThat(RECONCILER.decide(Optional.of(deleted), onC)).isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    FileRecord recorded = ((Decision.Change) atC).recordedBy(C, 0);
    assertThat(RECONCILER.decide(Optional.of(deleted), recorded).reason()).isEqualTo(Decision.Reason.REMOTE_IS_NEWER);
    assertThat(RECONCILER.decide(Optional.of(onC), recorded).reason()).isEqualTo(Decision.Reason.REMOTE_IS_NEWER);

    // A delete whose history holds one edit only does not hold all the merge is made of: the
    // merge carries the other edit, which the deleter never saw, and beats the delete as before.
    FileRecord deletedEarly = OURS.toTombstone(OURS.version().increment(D), D, 300);
    assertThat(RECONCILER.decide(Optional.of(deletedEarly), onC).reason()).isEqualTo(Decision.Reason.CONFLICT_REMOTE_WINS);
    // A merge from a device that predates the record of what it merged reads as an edit: as before.
    FileRecord unmarked = onC.asMergeOf(VersionVector.empty());
    assertThat(unmarked.isMerge()).isFalse();
    assertThat(RECONCILER.decide(Optional.of(deleted), unmarked).reason()).isEqualTo(Decision.Reason.CONFLICT_REMOTE_WINS);
  }

  /**
   * The vps edits the laptop's merge instead, with its clock behind: its edit still wins over the
   * pi's merge of the same pair, on both sides and without a copy, since its history holds both
   * edits the pi merged. By the clocks alone the pi's merge would win, and the vps's edit would
   * end as a copy or a merge of its own.
   */
  @Test
  void anEditOfAMergeWinsOverTheSameMergeMadeElsewhereWhateverTheClocks() {
    FileRecord onA = MergeRule.merged(OURS, THEIRS, MERGED, A, 0);
    FileRecord onC = MergeRule.merged(OURS, THEIRS, MERGED, C, 0);
    FileRecord edited = note("x.md", "a edited\nx\nb edited\nc\n", 50, onA.version().increment(D), D);

    assertThat(RECONCILER.decide(Optional.of(edited), onC)).isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(RECONCILER.decide(Optional.of(onC), edited)).isEqualTo(new Decision.Apply(
        edited.withVersion(edited.version().merge(onC.version())), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL));
  }

  /**
   * Two merges of one pair that each hold both edits the other merged (here with different
   * bytes, as from different common versions) are decided as before: the resolver picks, and the
   * loser's device merges again or keeps a copy; neither follows the other, and the path is not
   * deleted.
   */
  @Test
  void twoMergesThatEachHoldTheOthersEditsAreDecidedAsBefore() {
    FileRecord onA = MergeRule.merged(OURS, THEIRS, MERGED, A, 0);
    FileRecord onC = MergeRule.merged(OURS, THEIRS, utf8("a edited\nx\nb edited\n\n"), C, 0);
    Decision atA = RECONCILER.decide(Optional.of(onA), onC);
    Decision atC = RECONCILER.decide(Optional.of(onC), onA);
    assertThat(java.util.List.of(atA.reason(), atC.reason()))
        .containsExactlyInAnyOrder(Decision.Reason.CONFLICT_LOCAL_WINS, Decision.Reason.CONFLICT_REMOTE_WINS);
    Decision.Apply loses = (Decision.Apply) (atA instanceof Decision.Apply ? atA : atC);
    assertThat(loses.conflictCopy()).isPresent();
    assertThat(loses.result().deleted()).isFalse();
  }
}
