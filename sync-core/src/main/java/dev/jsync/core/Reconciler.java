package dev.jsync.core;

import dev.jsync.core.merge.MergeableFiles;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The sync rule: every decision about which version a path ends with. Pure functions; the
 * engine gathers the records, asks, and carries the answer out.
 *
 * <ul>
 *   <li>{@link #decide}: this device's version of a path against one peer's, the decision table
 *       of docs/conflicts.md;</li>
 *   <li>{@link #choose}: which of several peers' versions to apply now;</li>
 *   <li>{@link #folderReplacing}: a folder needed above a synced path where this device holds a
 *       file;</li>
 *   <li>{@link Decision.Change#recordedBy}: the record an applying device stores (adoptions);</li>
 *   <li>{@link ConflictCopies#place}: the name a losing version is kept under.</li>
 * </ul>
 *
 * <p>Why the winner of a conflict does not merge histories at once: a merged version includes
 * the loser's, so any device receiving it would overwrite the loser without a copy. Only a
 * device that actually holds the loser's content, and has just preserved it, may claim to
 * include it. This is what makes "no edit is ever silently lost" hold across relays (A–B–C).
 *
 * <p>Stateless and thread-safe.
 */
public final class Reconciler {

  private final ConflictResolver resolver;
  private final MergeableFiles mergeable;

  /** A reconciler whose conflict copies all get {@code .bak} names. */
  public Reconciler(ConflictResolver resolver) {
    this(resolver, MergeableFiles.none());
  }

  /**
   * A reconciler whose conflict copies of files {@code mergeable} names keep their extension
   * ({@link ConflictCopies#pathFor(FileRecord, MergeableFiles)}).
   */
  public Reconciler(ConflictResolver resolver, MergeableFiles mergeable) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.mergeable = Objects.requireNonNull(mergeable, "mergeable");
  }

  /** Which files are merged, and whose conflict copies keep their extension. */
  public MergeableFiles mergeable() {
    return mergeable;
  }

  /** The resolver consulted for concurrent versions. */
  public ConflictResolver resolver() {
    return resolver;
  }

  /**
   * Decides what to do with {@code remote} given {@code local}: the decision table of
   * docs/conflicts.md, one row per comment.
   *
   * <p>A side <em>saw</em> the other when its history holds the change by which the other's
   * author made the other's content (that author's counter): it was made with that content in
   * view, replaced it (an edit or a delete), or took a winner after keeping it as a conflict
   * copy. A content the other history saw no longer belongs at the path there, whatever the
   * clocks say. A merge's content was made by the changes that made the two contents it merged:
   * where neither side saw the other, a side that holds both those changes saw the merge.
   *
   * @throws IllegalArgumentException if the two records are for different paths, or the
   *     resolver returns neither of its arguments
   */
  public Decision decide(Optional<FileRecord> local, FileRecord remote) {
    Objects.requireNonNull(remote, "remote");
    // No local version: take the remote one (a tombstone too, so a relay can pass it on).
    if (local.isEmpty()) {
      return new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER);
    }
    FileRecord mine = local.get();
    if (!mine.path().equals(remote.path())) {
      throw new IllegalArgumentException("records for different paths: " + mine.path() + " and " + remote.path());
    }
    switch (mine.version().compare(remote.version())) {
      case EQUAL: // Equal, the same record: nothing.
        return mine.sameVersionAs(remote) ? new Decision.Keep(Decision.Reason.EQUAL) : equalHistories(mine, remote);
      case AFTER: // Local includes remote: nothing, whatever the remote time says.
        return new Decision.Keep(Decision.Reason.LOCAL_IS_NEWER);
      case BEFORE: // Remote includes local: take it, whatever the times say.
        return new Decision.Apply(remote, Optional.empty(), Decision.Reason.REMOTE_IS_NEWER);
      case CONCURRENT:
      default:
        return concurrent(mine, remote);
    }
  }

  /** The concurrent rows of the table: the facts once, then the cascade. */
  private Decision concurrent(FileRecord mine, FileRecord remote) {
    VersionVector merged = mine.version().merge(remote.version());
    boolean sameBytes = mine.sameContent(remote);
    boolean localSaw = saw(mine, remote);
    boolean remoteSaw = saw(remote, mine);
    if (sameBytes) {
      // For equal contents, a history that includes the other's once adoption counters are
      // left out saw the other: the two are concurrent only because a device adopted one side.
      Causality apartFromAdoptions = withoutAdoptions(mine.version(), remote.version());
      if (apartFromAdoptions == Causality.AFTER || apartFromAdoptions == Causality.BEFORE) {
        localSaw = apartFromAdoptions == Causality.AFTER;
        remoteSaw = !localSaw;
      }
    }
    // A merge holds no edit of its own: where neither side saw the other, a side whose history
    // holds the changes that made both contents the other merged saw all the merge is made of,
    // and follows it. Two merges that each hold the other's are decided as before.
    boolean localHoldsMerged = holdsWhatItMerged(mine, remote);
    if (!localSaw && !remoteSaw && localHoldsMerged != holdsWhatItMerged(remote, mine)) {
      localSaw = localHoldsMerged;
      remoteSaw = !localHoldsMerged;
    }
    boolean independent = !localSaw && !remoteSaw;
    boolean bitsDiffer = mine.isLiveFile() && mine.executable() != remote.executable();
    // The same bytes under executable bits set independently are different content: a merge
    // would keep one bit under a history claiming both.
    boolean sameContent = sameBytes && !(independent && bitsDiffer);
    boolean myFolder = !mine.deleted() && mine.kind() == FileKind.DIRECTORY;
    boolean theirFolder = !remote.deleted() && remote.kind() == FileKind.DIRECTORY;

    // Local saw remote's content (replaced it, or a chmod of it): keep ours, metadata included.
    if (localSaw && !remoteSaw) {
      return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
    }
    // Remote saw ours: take it under the merged history, no copy (for equal contents, only its metadata).
    if (remoteSaw && !localSaw) {
      return change(remote.withVersion(merged), mine, Decision.Reason.REMOTE_SAW_LOCAL);
    }
    // Same bytes under different bits, each history holding the change that made the other's
    // bit: no copy (the bit was chosen with both in view), but the merge must not leave the
    // choice to each device's own pair of records. A side whose own author made a later change
    // the other history holds was replaced by its author: the other side follows. Otherwise the
    // resolver picks. The winner stays as it is; the loser's device records it as an adoption.
    if (sameBytes && bitsDiffer && localSaw) {
      boolean mineMovedOn = remote.version().get(mine.modifiedBy()) > made(mine);
      boolean remoteMovedOn = mine.version().get(remote.modifiedBy()) > made(remote);
      FileRecord winner = mineMovedOn != remoteMovedOn ? (mineMovedOn ? remote : mine) : pick(mine, remote);
      return winner == mine
          ? new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE)
          : new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
    }
    // Same content: merge the histories under the resolver's winner's metadata; no data moves.
    if (sameContent) {
      return change(pick(mine, remote).withVersion(merged), mine, Decision.Reason.SAME_CONTENT);
    }
    // Each replaced the other's content: neither comes back; the path is deleted under the
    // merged history (a side that already is a tombstone is that result). No copy.
    if (localSaw) {
      if (mine.deleted()) {
        return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
      }
      if (remote.deleted()) {
        return new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
      }
      FileRecord last = pick(mine, remote);
      FileRecord gone = last.toTombstone(merged, last.modifiedBy(), Math.max(mine.modifiedNanos(), remote.modifiedNanos()));
      return new Decision.Apply(gone, Optional.empty(), Decision.Reason.BOTH_SUPERSEDED);
    }
    // A conflict. A live folder beats a file or link (its contents cannot be kept as one copy);
    // otherwise the resolver picks (an edit beats a delete).
    FileRecord winner = myFolder != theirFolder ? (myFolder ? mine : remote) : pick(mine, remote);
    // Local wins: keep it; the peer holding the loser keeps that as a copy, then adopts ours.
    if (winner == mine) {
      return new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS);
    }
    // Remote wins: keep our content (unless a delete) as a conflict copy, take the winner merged.
    Optional<RelativePath> copy = mine.deleted() ? Optional.empty() : Optional.of(ConflictCopies.pathFor(mine, mergeable));
    return new Decision.Apply(remote.withVersion(merged), copy, Decision.Reason.CONFLICT_REMOTE_WINS);
  }

  /**
   * Equal histories under different records. Two devices can merge the same histories into
   * different records: a same-content merge keeps the metadata (time, author) of whichever of
   * its records a device held, so one content can carry different metadata under one history on
   * two devices, and a conflict of that content with a third version, which the resolver decides
   * by that metadata, can then be decided both ways round, each result recorded under the same
   * merged history. Neither record follows the other, so the resolver picks as for a conflict,
   * and every device settles on its winner: the loser's content is kept as a copy (unless it is
   * a delete, or the same bytes, whose metadata alone changes).
   */
  private Decision equalHistories(FileRecord mine, FileRecord remote) {
    boolean myFolder = !mine.deleted() && mine.kind() == FileKind.DIRECTORY;
    boolean theirFolder = !remote.deleted() && remote.kind() == FileKind.DIRECTORY;
    FileRecord winner = myFolder != theirFolder ? (myFolder ? mine : remote) : pick(mine, remote);
    if (winner == mine) {
      return new Decision.Keep(Decision.Reason.EQUAL);
    }
    if (mine.sameContent(remote)) {
      return change(remote, mine, Decision.Reason.SAME_CONTENT);
    }
    Optional<RelativePath> copy = mine.deleted() ? Optional.empty() : Optional.of(ConflictCopies.pathFor(mine, mergeable));
    return new Decision.Apply(remote, copy, Decision.Reason.CONFLICT_REMOTE_WINS);
  }

  /** Adopt {@code result} if the disk holds it already, else apply it. */
  private static Decision change(FileRecord result, FileRecord mine, Decision.Reason reason) {
    return result.sameContentAndMetadata(mine)
        ? new Decision.Adopt(result, reason)
        : new Decision.Apply(result, Optional.empty(), reason);
  }

  /** A peer's version chosen to apply at a path, and the decision to apply it. */
  public record Choice(DeviceId from, Decision.Change decision) {
    public Choice {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(decision, "decision");
    }
  }

  /**
   * Which of the peers' versions of one path to apply now: of those that change something here,
   * the first (in {@code remotes}' order) whose result no later one's result follows. Empty if
   * every peer's version is one to keep ours against.
   */
  public Optional<Choice> choose(Optional<FileRecord> local, Map<DeviceId, FileRecord> remotes) {
    Choice best = null;
    for (Map.Entry<DeviceId, FileRecord> e : remotes.entrySet()) {
      if (decide(local, e.getValue()) instanceof Decision.Change c && (best == null
          || c.result().version().compare(best.decision().result().version()) == Causality.AFTER)) {
        best = new Choice(e.getKey(), c);
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The folders-above rule: a synced path needs a folder where this device holds {@code above}.
   * A folder needed to hold a child beats a live file at its name, as a live folder beats a
   * concurrent file, even where the file follows an older folder (unaware of what was added
   * inside it since): the file is kept as a conflict copy, and the folder is recorded as
   * {@code self}'s own new version of that path (its counter bumped to at least
   * {@code epochSecond}), which peers then take.
   *
   * @return the folder's record, or empty if {@code above} is no live file (nothing to replace;
   *     a link above is refused by the engine, which never writes through one)
   */
  public static Optional<FileRecord> folderReplacing(Optional<FileRecord> above, DeviceId self, long nowNanos,
      long epochSecond) {
    if (above.isEmpty() || !above.get().isLiveFile()) {
      return Optional.empty();
    }
    FileRecord file = above.get();
    return Optional.of(FileRecord.directory(file.path(), nowNanos, file.version().increment(self, epochSecond), self));
  }

  /**
   * Whether {@code later}'s history includes the change by which {@code earlier}'s author made
   * {@code earlier}'s content (that author's counter in {@code earlier}'s own version).
   */
  private static boolean saw(FileRecord later, FileRecord earlier) {
    long made = made(earlier);
    return made > 0 && later.version().get(earlier.modifiedBy()) >= made;
  }

  /**
   * Whether {@code merge} is a merge ({@link FileRecord#mergedFrom()}) and {@code other}'s
   * history holds the changes that made both contents it merged.
   */
  private static boolean holdsWhatItMerged(FileRecord other, FileRecord merge) {
    return merge.isMerge() && other.version().dominates(merge.mergedFrom());
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

  /** The resolver's winner, which must be one of its arguments. */
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
