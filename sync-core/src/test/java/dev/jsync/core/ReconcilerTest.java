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
  void aHistoryAheadButForAdoptionsWinsWhateverTheClocks() {
    DeviceId pi = DeviceId.fromName("pi");
    DeviceId phone = DeviceId.fromName("phone");
    // The laptop wrote its version (laptop:1), the desktop its own later (desktop:2), and the
    // laptop's lost to it somewhere. The phone (which has a version of its own) adopted the
    // desktop's version over the laptop's: an adoption, counted under its adoption id. The pi
    // deleted the desktop's version and the laptop's edit then beat that delete.
    FileRecord adopted = note("desktop's", "2026-11-24T10:05:00Z",
        VersionVector.empty().increment(LAPTOP, 1).increment(DESKTOP, 2).increment(phone.adoptionId(), 3), DESKTOP);
    FileRecord ahead = note("laptop's", "2026-11-24T10:00:00Z",
        VersionVector.empty().increment(LAPTOP, 1).increment(DESKTOP, 2).increment(pi, 1).increment(phone, 1), LAPTOP);
    assertThat(adopted.version().compare(ahead.version())).isEqualTo(Causality.CONCURRENT);

    // Apart from the adoption, the pi's side holds everything the phone's does and more: it
    // wins on both sides, though its content is older by the clocks.
    assertThat(reconciler.decide(Optional.of(ahead), adopted))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(adopted), ahead)).isEqualTo(new Decision.Apply(
        ahead.withVersion(adopted.version().merge(ahead.version())), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL));

    // An adoption id is recognised only beside its device's own id; without the phone's own
    // entry on either side the counter counts as a change, and the clocks decide as before.
    FileRecord aheadWithoutPhone = note("laptop's", "2026-11-24T10:00:00Z",
        VersionVector.empty().increment(LAPTOP, 1).increment(DESKTOP, 2).increment(pi, 1), LAPTOP);
    assertThat(reconciler.decide(Optional.of(aheadWithoutPhone), adopted).reason())
        .isNotEqualTo(Decision.Reason.LOCAL_SAW_REMOTE);
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
  void contentItsAuthorDeletedSinceLosesAlthoughEachSideHasSeenTheOther() {
    DeviceId pi = DeviceId.fromName("pi");
    // The desktop's note (newer by the clock) won conflicts against the laptop's and the pi's
    // versions, so it travels under a history holding theirs: it has seen the pi's content.
    VersionVector desktopWrote = VersionVector.empty().increment(DESKTOP);
    VersionVector pisWrite = VersionVector.empty().increment(pi);
    FileRecord desktops = note("", "2026-11-24T10:00:02Z",
        desktopWrote.merge(pisWrite).merge(VersionVector.empty().increment(LAPTOP)), DESKTOP);
    // The desktop then deleted its note; the pi's concurrent edit beat that delete, so the pi's
    // content travels under a history holding the delete: it has seen the desktop's content,
    // and the desktop's later delete of it.
    FileRecord pis = note("pi's text", "2026-11-24T10:00:00Z", desktopWrote.increment(DESKTOP).merge(pisWrite), pi);

    assertThat(reconciler.decide(Optional.of(pis), desktops))
        .isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE));
    assertThat(reconciler.decide(Optional.of(desktops), pis)).isEqualTo(new Decision.Apply(
        pis.withVersion(pis.version().merge(desktops.version())), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL));
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
