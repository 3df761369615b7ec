package dev.jsync.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The sync rule: given what this device holds for a path and a version a peer announces,
 * decides what to do. A pure function; the engine carries the decision out.
 *
 * <p>The rule, in order (docs/conflicts.md has the table with worked examples):
 * <ol>
 *   <li>No local version: take the remote one (a tombstone too, so it can be passed on).</li>
 *   <li>Equal versions: keep. Local includes remote: keep. Remote includes local: take it,
 *       whatever the clocks say.</li>
 *   <li>Concurrent, same content: merge the two histories under the
 *       {@linkplain ConflictResolver resolver's} winner's metadata; no data moves and there
 *       is no conflict copy. A side made with the other in view keeps its metadata (a chmod), as
 *       does a side whose history includes the other's once the counters of
 *       {@linkplain DeviceId#adoptionId() adoption ids} are left out. Files with the same bytes
 *       but different executable bits, neither made with the other in view, are treated as
 *       different content (the next rules): a merge would keep one bit and claim the other.</li>
 *   <li>Concurrent, different content, and one side's content was <em>replaced</em> in the
 *       other's history: that history holds the change by which the content's author made it
 *       (the author's counter), under other content. Someone there edited or deleted it with it
 *       in view, or it lost a conflict there and was kept as a copy. The other side wins,
 *       whatever the clocks say, and nothing is copied ({@link Decision.Reason#LOCAL_SAW_REMOTE},
 *       {@link Decision.Reason#REMOTE_SAW_LOCAL}). If each side's content was replaced in the
 *       other's history, neither may come back: the path is deleted under the merged history
 *       ({@link Decision.Reason#BOTH_SUPERSEDED}). The device that applies either decision
 *       records it as an adoption of its own, under its adoption id. This holds for a live
 *       folder against a file or link too: a folder removed and replaced by a file does not
 *       come back.</li>
 *   <li>Concurrent, different content: a conflict. A folder beats anything else (a folder's
 *       content cannot be kept as a copy); otherwise the resolver picks. If the local version
 *       wins, keep it, unchanged: the peer holding the loser keeps that as a copy and then
 *       adopts ours. If the remote version wins, keep the local content (unless it is a
 *       tombstone) as a {@linkplain ConflictCopies conflict copy} and take the winner under
 *       the merged history.</li>
 * </ol>
 *
 * <p>Why the winner does not merge histories at once: a merged version includes the loser's,
 * so any device receiving it would overwrite the loser without a copy. Only a device that
 * actually holds the loser's content, and has just preserved it, may claim to include it.
 * This is what makes "no edit is ever silently lost" hold across relays (A–B–C).
 *
 * <p>Stateless and thread-safe.
 */
public final class Reconciler {

  private final ConflictResolver resolver;

  public Reconciler(ConflictResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** The resolver consulted for concurrent versions. */
  public ConflictResolver resolver() {
    return resolver;
  }

  /**
   * Decides what to do with {@code remote} given {@code local}.
   *
   * @throws IllegalArgumentException if the two records are for different paths, or the
   *     resolver returns neither of its arguments
   */
  public Decision decide(Optional<FileRecord> local, FileRecord remote) {
    Objects.requireNonNull(remote, "remote");
    if (local.isEmpty()) {
      return new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER);
    }
    FileRecord mine = local.get();
    if (!mine.path().equals(remote.path())) {
      throw new IllegalArgumentException("records for different paths: " + mine.path() + " and " + remote.path());
    }
    switch (mine.version().compare(remote.version())) {
      case EQUAL:
        return new Decision.Keep(Decision.Reason.EQUAL);
      case AFTER:
        return new Decision.Keep(Decision.Reason.LOCAL_IS_NEWER);
      case BEFORE:
        return new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER);
      case CONCURRENT:
      default:
        return concurrent(mine, remote);
    }
  }

  private Decision concurrent(FileRecord mine, FileRecord remote) {
    VersionVector merged = mine.version().merge(remote.version());
    if (mine.sameContent(remote)) {
      return sameContent(mine, remote, merged);
    }
    return differentContent(mine, remote, merged);
  }

  private Decision differentContent(FileRecord mine, FileRecord remote, VersionVector merged) {
    // A side's content is superseded in the other side's history when that history holds the
    // change that made it (its author's counter at that change) under other content: someone
    // there replaced it (an edit or a delete made with it in view), or it lost a conflict there
    // and was kept as a conflict copy. Either way it no longer belongs at this path in that
    // history, and bringing it back would undo a deliberate change (or duplicate a copy).
    // This holds for a folder too: a file made where the folder was removed (rmdir, then a
    // file of that name) wins over the folder it replaced. The folder's contents are paths of
    // their own; one that needs the folder again brings it back as a new version, with the
    // file kept as a conflict copy (the engine's folders-above rule).
    boolean mineSuperseded = holdsChangeThatMade(remote, mine);
    boolean remoteSuperseded = holdsChangeThatMade(mine, remote);
    if (remoteSuperseded && !mineSuperseded) {
      return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
    }
    if (mineSuperseded && !remoteSuperseded) {
      return new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
    }
    if (mineSuperseded) {
      // Each side's content is superseded in the other's history: neither may come back, so
      // the path is deleted under the merged history. No copy: each content was replaced on
      // purpose, or already lives on as the conflict copy made where it lost. A side that is
      // already a tombstone is that result.
      if (mine.deleted()) {
        return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
      }
      if (remote.deleted()) {
        return new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
      }
      FileRecord last = pick(mine, remote);
      FileRecord gone = last.toTombstone(merged, last.modifiedBy(),
          Math.max(mine.modifiedNanos(), remote.modifiedNanos()));
      return new Decision.Apply(gone, Optional.empty(), Decision.Reason.BOTH_SUPERSEDED);
    }
    FileRecord winner = folderFirst(mine, remote);
    if (winner == mine) {
      return new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS);
    }
    Optional<RelativePath> copy = mine.deleted() ? Optional.empty() : Optional.of(ConflictCopies.pathFor(mine));
    return new Decision.Apply(remote.withVersion(merged), copy, Decision.Reason.CONFLICT_REMOTE_WINS);
  }

  /**
   * Concurrent versions of the same content: merge the histories. The side made with the other
   * in view keeps its metadata (a chmod of the content); otherwise the resolver picks whose
   * time is kept. Equal bytes under different executable bits, neither made with the other in
   * view, are not merged but resolved as a conflict.
   */
  private Decision sameContent(FileRecord mine, FileRecord remote, VersionVector merged) {
    boolean mineFollows = holdsChangeThatMade(mine, remote);
    boolean remoteFollows = holdsChangeThatMade(remote, mine);
    Causality withoutAdoptions = withoutAdoptions(mine.version(), remote.version());
    if (withoutAdoptions == Causality.AFTER || withoutAdoptions == Causality.BEFORE) {
      // Apart from adoptions, one history includes the other: the two are concurrent only
      // because a device adopted one side (a decision drawn from what it already knew, no one's
      // edit). The history with more real changes in it follows.
      mineFollows = withoutAdoptions == Causality.AFTER;
      remoteFollows = !mineFollows;
    }
    if (mineFollows && !remoteFollows) {
      return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
    }
    if (!mineFollows && !remoteFollows && differentBits(mine, remote)) {
      // The same bytes made independently under different executable bits: neither bit was set
      // with the other in view, so the bit is this pair's content, and one kept by a merge would
      // claim a history it does not hold (a later edit of the kept one would replace the other
      // without a copy). A conflict: the loser's bit survives on its conflict copy.
      return differentContent(mine, remote, merged);
    }
    if (mineFollows && remoteFollows && differentBits(mine, remote)) {
      // Each history holds the change that made the other's bit: someone chose between them
      // with both in view, so there is nothing to keep as a copy, but the merge must not leave
      // the choice to each device's own pair of records (two merges of different pairs can end
      // under the same vector with different bits). A side whose author made a later change
      // that the other history holds was replaced by its own author: the other side follows.
      // Otherwise the resolver picks. Either way the winner stays as it is and the loser's
      // device records the winner as an adoption.
      boolean mineMovedOn = remote.version().get(mine.modifiedBy()) > made(mine);
      boolean remoteMovedOn = mine.version().get(remote.modifiedBy()) > made(remote);
      FileRecord winner = mineMovedOn != remoteMovedOn ? (mineMovedOn ? remote : mine) : pick(mine, remote);
      return winner == mine
          ? new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE)
          : new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
    }
    Decision.Reason reason = remoteFollows && !mineFollows ? Decision.Reason.REMOTE_SAW_LOCAL
        : Decision.Reason.SAME_CONTENT;
    FileRecord result = (reason == Decision.Reason.SAME_CONTENT ? pick(mine, remote) : remote).withVersion(merged);
    return result.sameContentAndMetadata(mine)
        ? new Decision.Adopt(result, reason)
        : new Decision.Apply(result, Optional.empty(), reason);
  }

  private static boolean differentBits(FileRecord mine, FileRecord remote) {
    return !mine.deleted() && mine.kind() == FileKind.FILE && mine.executable() != remote.executable();
  }

  /** The counter of its author at the change that made {@code r}'s content. */
  private static long made(FileRecord r) {
    return r.version().get(r.modifiedBy());
  }

  /**
   * Compares two histories leaving out the counters of adoption ids ({@link DeviceId#adoptionId()})
   * of any device that appears in either of them.
   */
  private static Causality withoutAdoptions(VersionVector a, VersionVector b) {
    Set<DeviceId> ids = new HashSet<>(a.counters().keySet());
    ids.addAll(b.counters().keySet());
    Set<DeviceId> adoptions = new HashSet<>();
    for (DeviceId id : ids) {
      DeviceId adoption = id.adoptionId();
      if (ids.contains(adoption)) {
        adoptions.add(adoption);
      }
    }
    if (adoptions.isEmpty()) {
      return a.compare(b);
    }
    return strip(a, adoptions).compare(strip(b, adoptions));
  }

  private static VersionVector strip(VersionVector v, Set<DeviceId> ids) {
    Map<DeviceId, Long> counters = new HashMap<>(v.counters());
    counters.keySet().removeAll(ids);
    return VersionVector.of(counters);
  }

  /**
   * Whether {@code later}'s history includes the change by which {@code earlier}'s author made
   * {@code earlier}'s content (that author's counter in {@code earlier}'s own version).
   */
  private static boolean holdsChangeThatMade(FileRecord later, FileRecord earlier) {
    long made = made(earlier);
    return made > 0 && later.version().get(earlier.modifiedBy()) >= made;
  }

  // A live folder cannot lose to a file or link: its contents are other paths and cannot be
  // kept as a single copy. The resolver decides everything else.
  private FileRecord folderFirst(FileRecord mine, FileRecord remote) {
    boolean myFolder = !mine.deleted() && mine.kind() == FileKind.DIRECTORY;
    boolean theirFolder = !remote.deleted() && remote.kind() == FileKind.DIRECTORY;
    if (myFolder != theirFolder) {
      return myFolder ? mine : remote;
    }
    return pick(mine, remote);
  }

  private FileRecord pick(FileRecord mine, FileRecord remote) {
    FileRecord w = resolver.winner(mine, remote);
    if (w != mine && w != remote) {
      if (w != null && w.equals(mine)) {
        return mine;
      }
      if (w != null && w.equals(remote)) {
        return remote;
      }
      throw new IllegalArgumentException(resolver + " returned neither of its arguments for " + mine.path());
    }
    return w;
  }
}
