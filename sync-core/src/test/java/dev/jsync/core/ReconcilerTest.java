package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/conflicts.md, one test per row. */
class ReconcilerTest {

  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final DeviceId DESKTOP = DeviceId.fromName("desktop");

  private final Reconciler reconciler = new Reconciler(NewestWinsResolver.defaults());

  private static long at(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static FileRecord note(String text, String time, VersionVector v, DeviceId by) {
    return Gen.fileWith("plan.md", text.getBytes(StandardCharsets.UTF_8), at(time), false, v, by);
  }

  @Test
  void clockRunningAheadDoesNotWin() {
    // The laptop's clock is an hour fast. It writes v1 at real 12:00 (stamped 13:00); the
    // desktop receives v1, then edits at real 12:30 (stamped 12:30), after v1 causally.
    VersionVector v1 = VersionVector.empty().increment(LAPTOP);
    FileRecord laptops = note("v1", "2026-11-24T13:00:00Z", v1, LAPTOP);
    FileRecord desktops = note("v2", "2026-11-24T12:30:00Z", v1.increment(DESKTOP), DESKTOP);

    // The laptop takes the desktop's edit although its time is older...
    assertThat(reconciler.decide(Optional.of(laptops), desktops))
        .isEqualTo(new Decision.Apply(desktops, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER));
    // ...and the desktop ignores the laptop's stale v1 although its time is newer.
    assertThat(reconciler.decide(Optional.of(desktops), laptops))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_IS_NEWER));
  }

  @Test
  void aHistoryAheadButForAdoptionsKeepsItsMetadataWhateverTheClocks() {
    DeviceId pi = DeviceId.fromName("pi");
    DeviceId phone = DeviceId.fromName("phone");
    // Two histories of one note, each holding the change that made the other's metadata: the
    // desktop's (desktop:2), as the phone adopted it (an adoption, counted under the phone's
    // adoption id), and the pi's chmod of it (pi:1), which the phone had also seen.
    VersionVector seen = VersionVector.empty().increment(LAPTOP, 1).increment(DESKTOP, 2).increment(pi, 1);
    FileRecord adopted = Gen.fileWith("plan.md", "note".getBytes(StandardCharsets.UTF_8),
        at("2026-11-24T10:05:00Z"), false, seen.increment(phone.adoptionId(), 3), DESKTOP);
    FileRecord ahead = Gen.fileWith("plan.md", "note".getBytes(StandardCharsets.UTF_8),
        at("2026-11-24T10:00:00Z"), true, seen.increment(phone, 1), pi);
    assertThat(adopted.version().compare(ahead.version())).isEqualTo(Causality.CONCURRENT);

    // Apart from the adoption, the pi's side holds everything the phone's does and more: its
    // metadata stays on both sides, though its time is older.
    assertThat(reconciler.decide(Optional.of(ahead), adopted))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(adopted), ahead)).isEqualTo(new Decision.Apply(
        ahead.withVersion(adopted.version().merge(ahead.version())), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL));

    // An adoption id is recognised only beside its device's own id; without the phone's own
    // entry the counter counts as a change, the histories are simply concurrent, each holds the
    // change that made the other's bit, and the clocks pick the metadata. The newer side stays
    // as it is; the other device takes it as an adoption (its bit differs, so a plain merge
    // under the merged vector could meet a different merge of other records of the same pair).
    FileRecord aheadWithoutPhone = ahead.withVersion(seen.increment(LAPTOP));
    assertThat(reconciler.decide(Optional.of(aheadWithoutPhone), adopted)).isEqualTo(new Decision.Apply(
        adopted.withVersion(adopted.version().merge(aheadWithoutPhone.version())), Optional.empty(),
        Decision.Reason.REMOTE_SAW_LOCAL));
    assertThat(reconciler.decide(Optional.of(adopted), aheadWithoutPhone))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
  }

  @Test
  void equalBytesWhoseBitItsOwnAuthorLaterReplacedFollowTheOtherBitWhateverTheClocks() {
    DeviceId pi = DeviceId.fromName("pi");
    DeviceId vps = DeviceId.fromName("vps");
    byte[] bytes = "#!/bin/sh".getBytes(StandardCharsets.UTF_8);
    // The vps's executable version was later removed by the vps itself (vps:2); the pi's plain
    // version came back over that removal, so its history holds vps:2. The vps's version, as
    // the desktop took it, holds the pi's change (pi:1) and the desktop's own.
    FileRecord executable = Gen.fileWith("run.sh", bytes, at("2026-11-24T10:05:00Z"), true,
        VersionVector.empty().increment(vps, 1).increment(pi, 1).increment(DESKTOP, 1), vps);
    FileRecord plain = Gen.fileWith("run.sh", bytes, at("2026-11-24T10:00:00Z"), false,
        VersionVector.empty().increment(pi, 1).increment(vps, 2).increment(LAPTOP, 1), pi);
    VersionVector merged = executable.version().merge(plain.version());
    assertThat(executable.version().compare(plain.version())).isEqualTo(Causality.CONCURRENT);

    // The plain version follows on both sides, though the executable one is newer by the clock.
    assertThat(reconciler.decide(Optional.of(executable), plain)).isEqualTo(
        new Decision.Apply(plain.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL));
    assertThat(reconciler.decide(Optional.of(plain), executable))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
  }

  @Test
  void concurrentEditsNewestWinsAndTheLoserIsKept() {
    VersionVector base = VersionVector.empty().increment(LAPTOP);
    FileRecord laptops = note("laptop's", "2026-11-24T10:00:00Z", base.increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("desktop's", "2026-11-24T10:05:00Z", base.increment(DESKTOP), DESKTOP);

    assertThat(reconciler.decide(Optional.of(desktops), laptops))
        .isEqualTo(new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS));
    Decision atLaptop = reconciler.decide(Optional.of(laptops), desktops);
    assertThat(atLaptop).isEqualTo(new Decision.Apply(
        desktops.withVersion(laptops.version().merge(desktops.version())),
        Optional.of(RelativePath.of("plan.md.conflict-20261124-100000-" + LAPTOP.shortId() + ".bak")),
        Decision.Reason.CONFLICT_REMOTE_WINS));
  }

  @Test
  void equalTimesAreDecidedByDeviceOrder() {
    VersionVector base = VersionVector.empty();
    FileRecord laptops = note("laptop's", "2026-11-24T10:00:00Z", base.increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("desktop's", "2026-11-24T10:00:00Z", base.increment(DESKTOP), DESKTOP);
    FileRecord expectedWinner = LAPTOP.compareTo(DESKTOP) > 0 ? laptops : desktops;
    FileRecord expectedLoser = expectedWinner == laptops ? desktops : laptops;

    assertThat(reconciler.decide(Optional.of(expectedWinner), expectedLoser).reason())
        .isEqualTo(Decision.Reason.CONFLICT_LOCAL_WINS);
    Decision atLoser = reconciler.decide(Optional.of(expectedLoser), expectedWinner);
    assertThat(atLoser.reason()).isEqualTo(Decision.Reason.CONFLICT_REMOTE_WINS);
    assertThat(((Decision.Apply) atLoser).conflictCopy()).contains(ConflictCopies.pathFor(expectedLoser));
  }

  @Test
  void equalHistoriesUnderDifferentRecordsSettleOnTheResolversWinnerEitherWayRound() {
    // Two devices decided one conflict differently (the same content carried other metadata on
    // each) and recorded both results under the one merged history.
    VersionVector merged = VersionVector.empty().increment(LAPTOP).increment(DESKTOP);
    FileRecord laptops = note("laptop's", "2026-11-24T10:00:00Z", merged, LAPTOP);
    FileRecord desktops = note("desktop's", "2026-11-24T10:00:00Z", merged, DESKTOP);
    FileRecord winner = LAPTOP.compareTo(DESKTOP) > 0 ? laptops : desktops;
    FileRecord loser = winner == laptops ? desktops : laptops;

    assertThat(reconciler.decide(Optional.of(winner), loser)).isEqualTo(new Decision.Keep(Decision.Reason.EQUAL));
    assertThat(reconciler.decide(Optional.of(loser), winner)).isEqualTo(new Decision.Apply(
        winner, Optional.of(ConflictCopies.pathFor(loser)), Decision.Reason.CONFLICT_REMOTE_WINS));

    // The same content under other metadata: only the metadata follows the winner, no copy.
    FileRecord sameLater = note(loser == laptops ? "laptop's" : "desktop's", "2026-11-24T10:05:00Z", merged, winner.modifiedBy());
    assertThat(reconciler.decide(Optional.of(loser), sameLater))
        .isEqualTo(new Decision.Apply(sameLater, Optional.empty(), Decision.Reason.SAME_CONTENT));
    assertThat(reconciler.decide(Optional.of(sameLater), loser)).isEqualTo(new Decision.Keep(Decision.Reason.EQUAL));

    // The same record, whatever each holder's sequence number: nothing.
    assertThat(reconciler.decide(Optional.of(winner.withSequence(7)), winner.withSequence(3)))
        .isEqualTo(new Decision.Keep(Decision.Reason.EQUAL));
  }

  @Test
  void anEditBeatsAConcurrentDelete() {
    VersionVector base = VersionVector.empty().increment(LAPTOP);
    FileRecord original = note("text", "2026-11-24T09:00:00Z", base, LAPTOP);
    // The desktop deletes at 11:00, later than the laptop's edit at 10:00: the edit still wins.
    FileRecord deleted = original.toTombstone(base.increment(DESKTOP), DESKTOP, at("2026-11-24T11:00:00Z"));
    FileRecord edited = note("more text", "2026-11-24T10:00:00Z", base.increment(LAPTOP), LAPTOP);

    assertThat(reconciler.decide(Optional.of(edited), deleted))
        .isEqualTo(new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS));
    assertThat(reconciler.decide(Optional.of(deleted), edited)).isEqualTo(new Decision.Apply(
        edited.withVersion(edited.version().merge(deleted.version())), Optional.empty(),
        Decision.Reason.CONFLICT_REMOTE_WINS));
  }

  @Test
  void aDeleteThatFollowsTheEditWins() {
    VersionVector v1 = VersionVector.empty().increment(LAPTOP);
    FileRecord file = note("text", "2026-11-24T09:00:00Z", v1, LAPTOP);
    FileRecord deleted = file.toTombstone(v1.increment(DESKTOP), DESKTOP, at("2026-11-24T09:01:00Z"));
    assertThat(reconciler.decide(Optional.of(file), deleted))
        .isEqualTo(new Decision.Apply(deleted, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER));
  }

  @Test
  void aContentTheOtherHistoryReplacedLosesWhateverTheClocks() {
    // The laptop wrote its note; the desktop, having it, rewrote it. The pi wrote its own
    // concurrently, knowing nothing of either, with a clock far ahead.
    VersionVector laptopWrote = VersionVector.empty().increment(LAPTOP);
    FileRecord desktops = note("desktop's edit", "2026-11-24T10:00:00Z", laptopWrote.increment(DESKTOP), DESKTOP);
    DeviceId pi = DeviceId.fromName("pi");
    FileRecord laptops = note("laptop's", "2026-11-24T09:00:00Z", laptopWrote, LAPTOP);
    // The pi's version lost to the laptop's on the pi, which kept its own as a copy and took
    // the laptop's note under the merged history: it travels with the pi's change in it.
    FileRecord onPi = laptops.withVersion(laptopWrote.increment(pi));
    assertThat(onPi.version().compare(desktops.version())).isEqualTo(Causality.CONCURRENT);

    // The desktop replaced the laptop's content, so the desktop's edit stays on both sides,
    // although the pi's history is concurrent with it, and no copy is made.
    assertThat(reconciler.decide(Optional.of(desktops), onPi))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(onPi), desktops)).isEqualTo(new Decision.Apply(
        desktops.withVersion(onPi.version().merge(desktops.version())), Optional.empty(),
        Decision.Reason.REMOTE_SAW_LOCAL));
  }

  @Test
  void whenEachHistoryReplacedTheOthersContentNeitherComesBack() {
    DeviceId pi = DeviceId.fromName("pi");
    // The desktop's note (newer by the clock) won conflicts against the laptop's and the pi's
    // versions; each kept its own as a conflict copy and took the desktop's under the merged
    // history.
    VersionVector desktopWrote = VersionVector.empty().increment(DESKTOP);
    VersionVector pisWrite = VersionVector.empty().increment(pi);
    FileRecord desktops = note("desktop's", "2026-11-24T10:00:02Z",
        desktopWrote.merge(pisWrite).merge(VersionVector.empty().increment(LAPTOP)), DESKTOP);
    // Elsewhere the desktop deleted its note, and the pi's version beat that delete (an edit
    // beats a concurrent delete): the pi's content travels under a history holding the delete.
    FileRecord pis = note("pi's text", "2026-11-24T10:00:00Z", desktopWrote.increment(DESKTOP).merge(pisWrite), pi);

    // Each history replaced the other's content: the desktop's deleted its own, the pi's moved
    // the pi's to a conflict copy. Neither comes back (whatever the clocks say); the path is
    // deleted on both sides under the merged history, and the pi's text lives on in its copy.
    VersionVector merged = pis.version().merge(desktops.version());
    Decision atPi = reconciler.decide(Optional.of(pis), desktops);
    Decision atDesktop = reconciler.decide(Optional.of(desktops), pis);
    for (Decision d : java.util.List.of(atPi, atDesktop)) {
      assertThat(d.reason()).isEqualTo(Decision.Reason.BOTH_SUPERSEDED);
      Decision.Apply apply = (Decision.Apply) d;
      assertThat(apply.conflictCopy()).isEmpty();
      assertThat(apply.result().deleted()).isTrue();
      assertThat(apply.result().version()).isEqualTo(merged);
    }
    assertThat(atPi).isEqualTo(atDesktop);

    // A side that already is a tombstone is the result: it stays, and the other side takes it.
    FileRecord pisDeleted = pis.toTombstone(pis.version().increment(pi), pi, at("2026-11-24T10:01:00Z"));
    assertThat(reconciler.decide(Optional.of(pisDeleted), desktops))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(desktops), pisDeleted)).isEqualTo(new Decision.Apply(
        pisDeleted.withVersion(pisDeleted.version().merge(desktops.version())), Optional.empty(),
        Decision.Reason.REMOTE_SAW_LOCAL));
  }

  @Test
  void firstContactWithIdenticalFilesMergesWithoutMovingData() {
    // Both devices already had the folder (copied with times preserved) and scanned it alone.
    FileRecord laptops = note("same", "2026-11-01T08:00:00Z", VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("same", "2026-11-01T08:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    Decision atLaptop = reconciler.decide(Optional.of(laptops), desktops);
    Decision atDesktop = reconciler.decide(Optional.of(desktops), laptops);

    assertThat(atLaptop).isInstanceOf(Decision.Adopt.class);
    assertThat(atDesktop).isInstanceOf(Decision.Adopt.class);
    FileRecord a = ((Decision.Adopt) atLaptop).result();
    FileRecord b = ((Decision.Adopt) atDesktop).result();
    assertThat(a).isEqualTo(b);
    assertThat(a.version()).isEqualTo(laptops.version().merge(desktops.version()));
  }

  @Test
  void firstContactWithSameContentButOtherTimesTakesTheNewerTimeOnly() {
    FileRecord laptops = note("same", "2026-11-01T08:00:00Z", VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("same", "2026-11-02T08:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    Decision atLaptop = reconciler.decide(Optional.of(laptops), desktops);
    assertThat(atLaptop).isEqualTo(new Decision.Apply(
        desktops.withVersion(laptops.version().merge(desktops.version())), Optional.empty(),
        Decision.Reason.SAME_CONTENT));
    assertThat(reconciler.decide(Optional.of(desktops), laptops)).isInstanceOf(Decision.Adopt.class);
  }

  @Test
  void equalBytesUnderBitsSetIndependentlyAreAConflictAndTheLosersBitIsKeptOnItsCopy() {
    // The laptop and the pi each make an empty script; only the laptop's is executable. A merge
    // would keep one bit and claim the other: a later edit of the kept one would then replace
    // the other without a copy. So it is a conflict, decided like one.
    byte[] empty = new byte[0];
    FileRecord laptops = Gen.fileWith("run.sh", empty, at("2026-11-24T09:00:00Z"), true,
        VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = Gen.fileWith("run.sh", empty, at("2026-11-24T10:00:00Z"), false,
        VersionVector.empty().increment(DESKTOP), DESKTOP);
    Decision atLaptop = reconciler.decide(Optional.of(laptops), desktops);
    Decision atDesktop = reconciler.decide(Optional.of(desktops), laptops);
    assertThat(atDesktop).isEqualTo(new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS));
    assertThat(atLaptop).isEqualTo(new Decision.Apply(desktops.withVersion(laptops.version().merge(desktops.version())),
        Optional.of(ConflictCopies.pathFor(laptops)), Decision.Reason.CONFLICT_REMOTE_WINS));
  }

  @Test
  void firstContactWithDifferentContentIsAConflict() {
    FileRecord laptops = note("mine", "2026-11-01T08:00:00Z", VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("theirs", "2026-11-02T08:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    Decision atLaptop = reconciler.decide(Optional.of(laptops), desktops);
    assertThat(atLaptop.reason()).isEqualTo(Decision.Reason.CONFLICT_REMOTE_WINS);
    assertThat(((Decision.Apply) atLaptop).conflictCopy()).contains(ConflictCopies.pathFor(laptops));
  }

  @Test
  void concurrentDeletesMerge() {
    VersionVector base = VersionVector.empty().increment(LAPTOP);
    FileRecord file = note("x", "2026-11-24T09:00:00Z", base, LAPTOP);
    FileRecord byLaptop = file.toTombstone(base.increment(LAPTOP), LAPTOP, at("2026-11-24T10:00:00Z"));
    FileRecord byDesktop = file.toTombstone(base.increment(DESKTOP), DESKTOP, at("2026-11-24T10:01:00Z"));
    Decision d = reconciler.decide(Optional.of(byLaptop), byDesktop);
    assertThat(d.reason()).isEqualTo(Decision.Reason.SAME_CONTENT);
    assertThat(d).isNotInstanceOf(Decision.Keep.class);
  }

  @Test
  void aFolderBeatsAConcurrentFileWhichIsKeptAsACopy() {
    FileRecord folder = FileRecord.directory(RelativePath.of("plan.md"), at("2026-11-24T09:00:00Z"),
        VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord file = note("text", "2026-11-24T10:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    assertThat(reconciler.decide(Optional.of(folder), file).reason()).isEqualTo(Decision.Reason.CONFLICT_LOCAL_WINS);
    Decision atFile = reconciler.decide(Optional.of(file), folder);
    assertThat(((Decision.Apply) atFile).conflictCopy()).contains(ConflictCopies.pathFor(file));
  }

  @Test
  void aFileMadeWhereTheFolderWasRemovedWinsOverThatFolder() {
    // The desktop made folder x; the laptop, which had written a file x of its own meanwhile,
    // lost to it and took the folder under the merged history. The desktop then removed the
    // folder and wrote a file x: its history holds the folder's making, so the folder does
    // not come back over the file, whatever the folder-first rule says for plain conflicts.
    VersionVector folderMade = VersionVector.empty().increment(DESKTOP);
    FileRecord folderAtLaptop = FileRecord.directory(RelativePath.of("plan.md"), at("2026-11-24T09:00:00Z"),
        folderMade.merge(VersionVector.empty().increment(LAPTOP)), DESKTOP);
    FileRecord fileAtDesktop = note("text", "2026-11-24T09:05:00Z", folderMade.increment(DESKTOP).increment(DESKTOP),
        DESKTOP);
    assertThat(folderAtLaptop.version().compare(fileAtDesktop.version())).isEqualTo(Causality.CONCURRENT);
    assertThat(reconciler.decide(Optional.of(fileAtDesktop), folderAtLaptop))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(folderAtLaptop), fileAtDesktop)).isEqualTo(new Decision.Apply(
        fileAtDesktop.withVersion(folderAtLaptop.version().merge(fileAtDesktop.version())), Optional.empty(),
        Decision.Reason.REMOTE_SAW_LOCAL));
  }

  @Test
  void aNewPathIsTaken() {
    FileRecord remote = note("new", "2026-11-24T09:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    assertThat(reconciler.decide(Optional.empty(), remote))
        .isEqualTo(new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER));
  }

  @Test
  void aCustomResolverChoosesTheWinnerButCannotLoseTheLoser() {
    // "The laptop always wins", even against a newer desktop edit.
    Reconciler laptopWins = new Reconciler((a, b) -> a.modifiedBy().equals(LAPTOP) ? a : b);
    FileRecord laptops = note("laptop's", "2026-11-24T10:00:00Z", VersionVector.empty().increment(LAPTOP), LAPTOP);
    FileRecord desktops = note("desktop's", "2026-11-24T11:00:00Z", VersionVector.empty().increment(DESKTOP), DESKTOP);
    assertThat(laptopWins.decide(Optional.of(laptops), desktops).reason()).isEqualTo(Decision.Reason.CONFLICT_LOCAL_WINS);
    Decision atDesktop = laptopWins.decide(Optional.of(desktops), laptops);
    assertThat(((Decision.Apply) atDesktop).conflictCopy()).contains(ConflictCopies.pathFor(desktops));
  }
}
