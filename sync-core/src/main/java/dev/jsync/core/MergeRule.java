package dev.jsync.core;

import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.core.merge.TextMerge;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The merge rule for concurrent edits of notes (docs/conflicts.md, "Merging notes"): when a
 * conflict may be settled by a three-way merge instead of a conflict copy, and the version a
 * merge makes. Pure functions; the engine reads the three contents and carries the answer out.
 *
 * <p>Only the device whose version loses the conflict merges, where it would otherwise keep its
 * version as a conflict copy: it holds its own content and fetches the winner's, and the merged
 * version it records follows both, so the winner's device takes it as an ordinary newer version
 * (the winner waits, as for any conflict, see {@link Reconciler}). Where several devices merge
 * the same pair (a relay that lost too), they write the same bytes ({@link TextMerge} does not
 * depend on which side is ours) under the same time and bit, and the reconciler's same-content
 * rule joins their histories with nothing moved.
 *
 * <p>Stateless and thread-safe.
 */
public final class MergeRule {

  private MergeRule() {}

  /**
   * Whether {@code decision}, made for {@code remote} against {@code local}, is a conflict a merge
   * may settle: this device's live file loses to a concurrent live file (it would be kept as a
   * conflict copy), both under the same executable bit, and {@code mergeable} accepts the path at
   * both sizes. Whether the bytes are text, and whether a base is known, the engine finds out.
   */
  public static boolean mayMerge(Decision decision, FileRecord local, FileRecord remote, MergeableFiles mergeable) {
    return decision instanceof Decision.Apply a && a.reason() == Decision.Reason.CONFLICT_REMOTE_WINS
        && a.conflictCopy().isPresent()
        && local.isLiveFile() && remote.isLiveFile() && local.path().equals(remote.path())
        && local.executable() == remote.executable()
        && mergeable.accepts(local.path(), local.size()) && mergeable.accepts(remote.path(), remote.size());
  }

  /**
   * The version a merge of {@code local} and {@code remote} into {@code merged} makes on
   * {@code self}: it follows both (their histories merged, {@code self}'s counter bumped to at
   * least {@code epochSecond}), made by {@code self}, with the later of the two times and their
   * common executable bit. Time and bit depend on the pair alone, so two devices that merge the
   * same pair record the same content and metadata.
   *
   * <p>The record carries what it merged ({@link FileRecord#mergedFrom()}: the change that made
   * each side's content, its author's counter in its own version). The bump is needed: two
   * devices can keep different common versions of one pair and so write different bytes, which
   * must not share a version. But it makes each device's merge concurrent with whatever another
   * device's merge of the same pair led to (an edit of it, a delete), so the reconciler lets a
   * version whose history holds both those changes follow the merge.
   */
  public static FileRecord merged(FileRecord local, FileRecord remote, byte[] merged, DeviceId self, long epochSecond) {
    Objects.requireNonNull(merged, "merged");
    VersionVector version = local.version().merge(remote.version()).increment(self, epochSecond);
    FileRecord record = FileRecord.file(local.path(), merged.length,
        Math.max(local.modifiedNanos(), remote.modifiedNanos()), local.executable(), MergeBases.blocksOf(merged),
        MergeBases.contentHashOf(merged), version, self);
    long madeLocal = local.version().get(local.modifiedBy());
    long madeRemote = remote.version().get(remote.modifiedBy());
    if (madeLocal == 0 || madeRemote == 0) {
      return record; // a side with no change of its author's in view: not recorded as a merge
    }
    return record.asMergeOf(VersionVector.of(Map.of(local.modifiedBy(), madeLocal))
        .merge(VersionVector.of(Map.of(remote.modifiedBy(), madeRemote))));
  }

  /**
   * Merges {@code ours} and {@code theirs} against {@code base}: the merged bytes, or empty when
   * the conflict rule applies (overlapping edits, not text, line endings that disagree), and also
   * when either side holds the base's text unchanged (a chmod, an edit undone): there is nothing
   * of that side's to merge, and a merge would quietly turn its version into the other side's
   * text, where the conflict rule keeps both.
   */
  public static Optional<byte[]> merge(byte[] base, byte[] ours, byte[] theirs) {
    if (java.util.Arrays.equals(base, ours) || java.util.Arrays.equals(base, theirs)) {
      return Optional.empty();
    }
    return TextMerge.merge(base, ours, theirs) instanceof TextMerge.Merged m ? Optional.of(m.bytes()) : Optional.empty();
  }
}
