package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The rules, checked over generated pairs of versions. */
class ReconcilerProperties {

  private final Reconciler reconciler = new Reconciler(NewestWinsResolver.defaults());

  @Provide
  Arbitrary<FileRecord> record() {
    return Gen.records();
  }

  @Provide
  Arbitrary<FileRecord[]> concurrent() {
    return Gen.concurrentPairs();
  }

  @Property
  void isDeterministic(@ForAll("record") FileRecord local, @ForAll("record") FileRecord remote) {
    assertThat(reconciler.decide(Optional.of(local), remote))
        .isEqualTo(reconciler.decide(Optional.of(local), remote));
  }

  @Property
  void causalOrderDecidesWhateverTheClocksSay(@ForAll("record") FileRecord local, @ForAll("record") FileRecord remote) {
    Decision d = reconciler.decide(Optional.of(local), remote);
    switch (local.version().compare(remote.version())) {
      case EQUAL -> {
        // Equal histories under different records settle on the resolver's winner, either way round.
        if (local.sameVersionAs(remote)) {
          assertThat(d).isEqualTo(new Decision.Keep(Decision.Reason.EQUAL));
        } else {
          Decision back = reconciler.decide(Optional.of(remote), local);
          assertThat(d instanceof Decision.Keep).isNotEqualTo(back instanceof Decision.Keep);
          FileRecord kept = d instanceof Decision.Change c ? c.result() : ((Decision.Change) back).result();
          assertThat(kept).isIn(local, remote);
        }
      }
      case AFTER -> assertThat(d).isEqualTo(new Decision.Keep(Decision.Reason.LOCAL_IS_NEWER));
      case BEFORE -> assertThat(d).isEqualTo(new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER));
      case CONCURRENT -> assertThat(d.reason()).isIn(Decision.Reason.SAME_CONTENT,
          Decision.Reason.CONFLICT_LOCAL_WINS, Decision.Reason.CONFLICT_REMOTE_WINS,
          Decision.Reason.LOCAL_SAW_REMOTE, Decision.Reason.REMOTE_SAW_LOCAL, Decision.Reason.BOTH_SUPERSEDED);
    }
  }

  /**
   * Whatever two concurrent histories hold, the two devices deciding about each other's version
   * settle on the same content for the path (the one deciding last may still have to merge
   * the histories).
   */
  @Property
  void bothSidesSettleOnTheSameContent(@ForAll("record") FileRecord a, @ForAll("record") FileRecord b) {
    Assume.that(a.version().compare(b.version()) == Causality.CONCURRENT);
    FileRecord atA = resultOf(reconciler.decide(Optional.of(a), b), a);
    FileRecord atB = resultOf(reconciler.decide(Optional.of(b), a), b);
    assertThat(content(atA)).isEqualTo(content(atB));
  }

  /**
   * A content that the other side's history replaced (it holds the change that made it, under
   * other content) never survives a merge with that history, whatever the clocks say: a delete
   * or an edit made with it in view stays made. Folders too: a folder removed and replaced by
   * a file does not come back over that file.
   */
  @Property
  void contentTheOtherHistoryReplacedDoesNotComeBack(@ForAll("record") FileRecord local,
      @ForAll("record") FileRecord remote) {
    Assume.that(local.version().compare(remote.version()) == Causality.CONCURRENT && !local.sameContent(remote));
    FileRecord result = resultOf(reconciler.decide(Optional.of(local), remote), local);
    for (FileRecord[] side : new FileRecord[][] {{local, remote}, {remote, local}}) {
      FileRecord replaced = side[0];
      FileRecord other = side[1];
      long made = replaced.version().get(replaced.modifiedBy());
      if (!replaced.deleted() && made > 0 && other.version().get(replaced.modifiedBy()) >= made) {
        assertThat(content(result)).as("%s was replaced in %s", replaced, other).isNotEqualTo(content(replaced));
      }
    }
  }

  @Property
  void bothSidesPickTheSameWinnerAndCopyName(@ForAll("concurrent") FileRecord[] pair) {
    FileRecord a = pair[0];
    FileRecord b = pair[1];
    Decision atA = reconciler.decide(Optional.of(a), b);
    Decision atB = reconciler.decide(Optional.of(b), a);
    boolean bitsDiffer = !a.deleted() && a.kind() == FileKind.FILE && a.executable() != b.executable();
    if (a.sameContent(b) && !bitsDiffer) {
      assertThat(atA.reason()).isEqualTo(Decision.Reason.SAME_CONTENT);
      assertThat(atB.reason()).isEqualTo(Decision.Reason.SAME_CONTENT);
      assertThat(resultOf(atA, a)).isEqualTo(resultOf(atB, b));
      return;
    }
    // Exactly one side wins: the other applies the winner.
    boolean aWins = atA.reason() == Decision.Reason.CONFLICT_LOCAL_WINS;
    assertThat(atB.reason()).isEqualTo(aWins ? Decision.Reason.CONFLICT_REMOTE_WINS : Decision.Reason.CONFLICT_LOCAL_WINS);
    Decision loserSide = aWins ? atB : atA;
    FileRecord loser = aWins ? b : a;
    Decision.Apply apply = (Decision.Apply) loserSide;
    assertThat(apply.conflictCopy()).isEqualTo(loser.deleted() ? Optional.empty() : Optional.of(ConflictCopies.pathFor(loser)));
    // The copy name depends only on the loser, so any device resolving this conflict agrees.
    if (!loser.deleted()) {
      assertThat(apply.conflictCopy().get().toString())
          .isEqualTo("a.md.conflict-" + stamp(loser) + "-" + loser.modifiedBy().shortId() + ".bak");
    }
  }

  /**
   * Two devices hold concurrent versions and exchange their indexes until nothing changes,
   * carrying out each decision on a model of their folders. Both end with the same tree, and
   * every live version's content is still there: as the file or as a conflict copy.
   */
  @Property
  void twoPeersConvergeAndNoContentIsLost(@ForAll("concurrent") FileRecord[] pair) {
    ModelPeer a = new ModelPeer(Gen.DEVICES.get(0), pair[0]);
    ModelPeer b = new ModelPeer(Gen.DEVICES.get(1), pair[1]);
    for (int round = 0; round < 10 && (a.changed | b.changed | round == 0); round++) {
      a.changed = false;
      b.changed = false;
      a.receiveAll(b.records(), reconciler);
      b.receiveAll(a.records(), reconciler);
    }
    assertThat(a.changed || b.changed).as("converged within 10 rounds").isFalse();
    assertThat(a.tree()).isEqualTo(b.tree());
    // (These pairs are concurrent from a common base: neither history replaced the other's
    // content, so every live one must survive.)
    for (FileRecord original : pair) {
      if (!original.deleted()) {
        assertThat(a.tree()).as("content of %s survives", original).anySatisfy(entry ->
            assertThat(entry).endsWith("=" + content(original)));
      }
    }
  }

  static String content(FileRecord r) {
    return r.deleted() ? "deleted" : r.kind() + ":" + r.contentHash() + ":" + r.symlinkTarget();
  }

  private static FileRecord resultOf(Decision d, FileRecord local) {
    if (d instanceof Decision.Adopt ad) {
      return ad.result();
    }
    if (d instanceof Decision.Apply ap) {
      return ap.result();
    }
    return local;
  }

  private static String stamp(FileRecord r) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochSecond(0, r.modifiedNanos()));
  }

  /** One device's folder as a map of records, changed only by carrying out decisions. */
  static final class ModelPeer {
    final DeviceId self;
    final java.util.TreeMap<RelativePath, FileRecord> index = new java.util.TreeMap<>();
    boolean changed;

    ModelPeer(DeviceId self, FileRecord initial) {
      this.self = self;
      index.put(initial.path(), initial);
    }

    List<FileRecord> records() {
      return new ArrayList<>(index.values());
    }

    void receiveAll(List<FileRecord> remote, Reconciler reconciler) {
      for (FileRecord r : remote) {
        Decision d = reconciler.decide(Optional.ofNullable(index.get(r.path())), r);
        if (d instanceof Decision.Adopt ad) {
          put(ad.result());
        } else if (d instanceof Decision.Apply ap) {
          ap.conflictCopy().ifPresent(copyPath -> {
            FileRecord loser = index.get(r.path());
            put(loser.withPath(copyPath).withVersion(VersionVector.empty().increment(self)));
          });
          put(ap.result());
        }
      }
    }

    private void put(FileRecord r) {
      FileRecord old = index.put(r.path(), r);
      changed |= !r.equals(old);
    }

    /** Path and content of every live entry. */
    List<String> tree() {
      List<String> out = new ArrayList<>();
      index.values().stream().filter(r -> !r.deleted()).forEach(r -> out.add(r.path() + "=" + content(r)));
      return out;
    }
  }
}
