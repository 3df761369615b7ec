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
 *       is no conflict copy.</li>
 *   <li>Concurrent only through adoptions (leaving out the counters of
 *       {@linkplain DeviceId#adoptionId() adoption ids}, one history includes the other): the
 *       one ahead follows and wins, as below.</li>
 *   <li>Concurrent, but one side was made by a device that already had the other side's content
 *       (its vector covers the counter at which that content's author made it): that side
 *       follows the content and wins, whatever the clocks say, and nothing is kept. The two are
 *       concurrent only through history merged since (another conflict's loser, another
 *       device's delete), not through edits made without knowledge of each other. If each side
 *       covers the other's content, the side that also covers a later change by the other
 *       content's author (who edited or deleted that content since) follows. The device
 *       that applies such a decision records it as an adoption of its own, under its
 *       {@linkplain DeviceId#adoptionId() adoption id} ({@link Decision.Reason#REMOTE_SAW_LOCAL}).</li>
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
    // A version whose history covers the change that made the other side's content was made
    // by a device that had that content (or a later one by the same author): it follows that
    // content, and the two are concurrent only through history merged since (another conflict's
    // loser, another device's delete). It wins, whatever the clocks say, and what it replaced
    // needs no copy. (Not against a live folder, whose contents others may have added to.)
    boolean mineFollows = followsContent(mine, remote);
    boolean remoteFollows = followsContent(remote, mine);
    Causality withoutAdoptions = withoutAdoptions(mine.version(), remote.version());
    if (withoutAdoptions == Causality.AFTER || withoutAdoptions == Causality.BEFORE) {
      // Apart from adoptions, one history includes the other: the two are concurrent only
      // because a device adopted one side (a decision drawn from what it already knew, no one's
      // edit). The history with more real changes in it follows, whatever the contents' own
      // counters say: its extra changes were made with the other side's content in view.
      mineFollows = withoutAdoptions == Causality.AFTER;
      remoteFollows = !mineFollows;
    } else if (mineFollows && remoteFollows) {
      // Each has seen the other's content (each won or lost a conflict against it somewhere).
      // If one has also seen a later change by the other content's author (its edit or delete
      // of that content), the other side's content is one its own author moved past: the side
      // that knows it follows. Otherwise it stays a conflict.
      boolean mineLater = followsAfterContent(mine, remote);
      boolean remoteLater = followsAfterContent(remote, mine);
      if (mineLater != remoteLater) {
        mineFollows = mineLater;
        remoteFollows = remoteLater;
      }
    }
    if (mine.sameContent(remote)) {
      // Equal contents: the side that follows keeps its metadata too (a chmod of the content),
      // and as for different contents, only the other side merges.
      if (mineFollows && !remoteFollows) {
        return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
      }
      Decision.Reason reason = remoteFollows && !mineFollows ? Decision.Reason.REMOTE_SAW_LOCAL
          : Decision.Reason.SAME_CONTENT;
      FileRecord result = (reason == Decision.Reason.SAME_CONTENT ? pick(mine, remote) : remote).withVersion(merged);
      return result.sameContentAndMetadata(mine)
          ? new Decision.Adopt(result, reason)
          : new Decision.Apply(result, Optional.empty(), reason);
    }
    boolean folderAgainstOther = !mine.deleted() && !remote.deleted()
        && (mine.kind() == FileKind.DIRECTORY) != (remote.kind() == FileKind.DIRECTORY);
    if (mineFollows && !remoteFollows && !folderAgainstOther) {
      return new Decision.Keep(Decision.Reason.LOCAL_SAW_REMOTE);
    }
    if (remoteFollows && !mineFollows && !folderAgainstOther) {
      return new Decision.Apply(remote.withVersion(merged), Optional.empty(), Decision.Reason.REMOTE_SAW_LOCAL);
    }
    FileRecord winner = folderFirst(mine, remote);
    if (winner == mine) {
      return new Decision.Keep(Decision.Reason.CONFLICT_LOCAL_WINS);
    }
    Optional<RelativePath> copy = mine.deleted() ? Optional.empty() : Optional.of(ConflictCopies.pathFor(mine));
    return new Decision.Apply(remote.withVersion(merged), copy, Decision.Reason.CONFLICT_REMOTE_WINS);
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
   * Whether {@code later}'s history includes a change by {@code earlier}'s author made after the
   * one that made {@code earlier}'s content.
   */
  private static boolean followsAfterContent(FileRecord later, FileRecord earlier) {
    long made = earlier.version().get(earlier.modifiedBy());
    return made > 0 && later.version().get(earlier.modifiedBy()) > made;
  }

  /** Whether {@code later}'s history includes the change by which {@code earlier}'s author made it. */
  private static boolean followsContent(FileRecord later, FileRecord earlier) {
    long made = earlier.version().get(earlier.modifiedBy());
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
