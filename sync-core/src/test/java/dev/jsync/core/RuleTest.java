package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parts of the rule beyond one pair of versions: choosing among peers, what an applying
 * device records, the folders-above rule and where a loser's copy goes.
 */
class RuleTest {

  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final DeviceId DESKTOP = DeviceId.fromName("desktop");
  private static final DeviceId PI = DeviceId.fromName("pi");

  private final Reconciler reconciler = new Reconciler(NewestWinsResolver.defaults());

  private static FileRecord note(String text, long time, VersionVector v, DeviceId by) {
    return Gen.fileWith("a.md", text.getBytes(StandardCharsets.UTF_8), time, false, v, by);
  }

  @Test
  void aPeerWhoseVersionFollowsAnotherPeersIsChosen() {
    VersionVector v1 = VersionVector.empty().increment(LAPTOP);
    FileRecord mine = note("old", 1_000, VersionVector.empty().increment(PI).merge(v1), PI);
    FileRecord laptops = note("one", 2_000, mine.version().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("two", 1_500, laptops.version().increment(DESKTOP), DESKTOP);
    Map<DeviceId, FileRecord> remotes = new LinkedHashMap<>();
    remotes.put(LAPTOP, laptops);
    remotes.put(DESKTOP, desktops);

    Optional<Reconciler.Choice> choice = reconciler.choose(Optional.of(mine), remotes);

    assertThat(choice).isPresent();
    assertThat(choice.get().from()).isEqualTo(DESKTOP);
    assertThat(choice.get().decision().result()).isEqualTo(desktops);
  }

  @Test
  void amongConcurrentResultsTheFirstPeerIsKept() {
    FileRecord laptops = note("one", 2_000, VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("two", 1_500, VersionVector.empty().increment(DESKTOP), DESKTOP);
    Map<DeviceId, FileRecord> remotes = new LinkedHashMap<>();
    remotes.put(DESKTOP, desktops);
    remotes.put(LAPTOP, laptops);

    assertThat(reconciler.choose(Optional.empty(), remotes).orElseThrow().from()).isEqualTo(DESKTOP);
  }

  @Test
  void nothingIsChosenWhenEveryPeerIsBehind() {
    FileRecord laptops = note("one", 2_000, VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord mine = note("two", 1_000, laptops.version().increment(PI), PI);

    assertThat(reconciler.choose(Optional.of(mine), Map.of(LAPTOP, laptops))).isEmpty();
  }

  @Test
  void aDecisionRestingOnWhatASideSawIsRecordedAsAnAdoptionOfTheApplyingDevice() {
    FileRecord result = note("x", 1_000, VersionVector.empty().increment(LAPTOP), LAPTOP);
    Decision.Change saw = new Decision.Apply(result, Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
    Decision.Change newer = new Decision.Apply(result, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER);

    FileRecord recorded = saw.recordedBy(PI, 77);

    assertThat(recorded.version().get(PI.adoptionId())).isEqualTo(77);
    assertThat(recorded.version().get(PI)).isZero();
    assertThat(recorded.withVersion(result.version())).isEqualTo(result);
    assertThat(new Decision.Adopt(result, Decision.Reason.BOTH_SUPERSEDED).isAdoption()).isTrue();
    assertThat(newer.recordedBy(PI, 77)).isEqualTo(result);
  }

  @Test
  void onlyAnAdoptionOrAVersionEqualToWhatIsHereChangesNothingOnDisk() {
    FileRecord here = note("x", 1_000, VersionVector.empty().increment(PI), PI);
    FileRecord sameButNewerHistory = here.withVersion(here.version().increment(LAPTOP));
    FileRecord otherTime = note("x", 2_000, sameButNewerHistory.version(), LAPTOP);

    assertThat(new Decision.Adopt(sameButNewerHistory, Decision.Reason.SAME_CONTENT).changesNothingOnDisk(here)).isTrue();
    assertThat(new Decision.Apply(sameButNewerHistory, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER)
        .changesNothingOnDisk(here)).isTrue();
    assertThat(new Decision.Apply(otherTime, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER)
        .changesNothingOnDisk(here)).isFalse();
    assertThat(new Decision.Apply(sameButNewerHistory, Optional.of(ConflictCopies.pathFor(here)),
        Decision.Reason.CONFLICT_REMOTE_WINS).changesNothingOnDisk(here)).isFalse();
  }

  @Test
  void aFolderNeededAboveReplacesALiveFileAsTheDevicesOwnNewVersion() {
    FileRecord file = Gen.fileWith("x", new byte[] {1}, 1_000, false, VersionVector.empty().increment(LAPTOP), LAPTOP);

    FileRecord folder = Reconciler.folderReplacing(Optional.of(file), PI, 5_000, 99).orElseThrow();

    assertThat(folder.kind()).isEqualTo(FileKind.DIRECTORY);
    assertThat(folder.deleted()).isFalse();
    assertThat(folder.path()).isEqualTo(file.path());
    assertThat(folder.modifiedBy()).isEqualTo(PI);
    assertThat(folder.modifiedNanos()).isEqualTo(5_000);
    assertThat(folder.version().compare(file.version())).isEqualTo(Causality.AFTER);
    assertThat(folder.version().get(PI)).isEqualTo(99);
  }

  @Test
  void noFolderReplacesAFolderATombstoneALinkOrNothing() {
    VersionVector v = VersionVector.empty().increment(LAPTOP);
    FileRecord file = Gen.fileWith("x", new byte[] {1}, 1_000, false, v, LAPTOP);
    assertThat(Reconciler.folderReplacing(Optional.empty(), PI, 1, 1)).isEmpty();
    assertThat(Reconciler.folderReplacing(Optional.of(FileRecord.directory(file.path(), 1, v, LAPTOP)), PI, 1, 1)).isEmpty();
    assertThat(Reconciler.folderReplacing(Optional.of(file.toTombstone(v.increment(LAPTOP), LAPTOP, 2)), PI, 1, 1)).isEmpty();
    assertThat(Reconciler.folderReplacing(Optional.of(FileRecord.symlink(file.path(), "t", 1, v, LAPTOP)), PI, 1, 1)).isEmpty();
  }

  @Test
  void aLoserGoesToItsCopyNameOrIsAlreadyKeptThere() throws Exception {
    FileRecord loser = note("x", 1_000, VersionVector.empty().increment(PI), PI);
    RelativePath first = ConflictCopies.pathFor(loser);

    assertThat(ConflictCopies.place(first, loser, c -> ConflictCopies.Slot.FREE))
        .isEqualTo(new ConflictCopies.Placement.KeepAs(first));
    assertThat(ConflictCopies.place(first, loser, c -> ConflictCopies.Slot.HOLDS_LOSER))
        .isEqualTo(new ConflictCopies.Placement.AlreadyKept(first));
  }

  @Test
  void aCopyNameTakenByAnotherVersionFallsBackToTheAlternativeName() throws Exception {
    FileRecord loser = note("x", 1_000, VersionVector.empty().increment(PI), PI);
    RelativePath first = ConflictCopies.pathFor(loser);
    RelativePath alt = ConflictCopies.alternativePathFor(loser);

    assertThat(ConflictCopies.place(first, loser, c -> c.equals(first) ? ConflictCopies.Slot.TAKEN : ConflictCopies.Slot.FREE))
        .isEqualTo(new ConflictCopies.Placement.KeepAs(alt));
    assertThat(ConflictCopies.place(first, loser,
        c -> c.equals(first) ? ConflictCopies.Slot.TAKEN : ConflictCopies.Slot.HOLDS_LOSER))
        .isEqualTo(new ConflictCopies.Placement.AlreadyKept(alt));
    // Both taken: the alternative is the answer all the same; the move there refuses to overwrite.
    assertThat(ConflictCopies.place(first, loser, c -> ConflictCopies.Slot.TAKEN))
        .isEqualTo(new ConflictCopies.Placement.KeepAs(alt));
  }
}
