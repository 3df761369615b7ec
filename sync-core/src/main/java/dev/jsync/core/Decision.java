package dev.jsync.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link Reconciler} decided to do with one remote version of a path: {@link Keep}
 * what is here, or a {@link Change} to another version ({@link Adopt} a merged history with
 * nothing to move, or {@link Apply} a version to the disk).
 */
public sealed interface Decision permits Decision.Keep, Decision.Change {

  /** Why a decision was made; for logs, status and tests. */
  enum Reason {
    /** Both sides hold the same version. */
    EQUAL,
    /** The local version already includes the remote one. */
    LOCAL_IS_NEWER,
    /** The remote version includes the local one (or there is no local one). */
    REMOTE_IS_NEWER,
    /** Concurrent versions with the same content: their histories are merged, nothing moves. */
    SAME_CONTENT,
    /**
     * Concurrent versions with different content (or the same bytes under different executable
     * bits, set independently); the local one won.
     */
    CONFLICT_LOCAL_WINS,
    /**
     * Concurrent versions with different content (or the same bytes under different executable
     * bits, set independently); the remote one won.
     */
    CONFLICT_REMOTE_WINS,
    /**
     * Concurrent histories, but the local version was made with the remote content in view
     * (for a merge, both contents it merged; see {@link Reconciler}): the local one stays,
     * unchanged, metadata included.
     */
    LOCAL_SAW_REMOTE,
    /**
     * Concurrent histories, but the remote version was made with the local content in view (for
     * a merge, both contents it merged): it replaces the local one without a conflict copy (for
     * equal contents, its metadata does).
     *
     * <p>The device that records the result records it as an adoption of its own (a new
     * counter under its {@link DeviceId#adoptionId() adoption id}): another device may merge the
     * same histories the other way round, and two different records must never share a version
     * vector; and an adoption must not pass for an edit of the path by the adopter.
     */
    REMOTE_SAW_LOCAL,
    /**
     * Concurrent histories with different contents, each of which the other history replaced
     * (see {@link Reconciler}): neither may come back, and the path is deleted under the merged
     * history, without a conflict copy. Recorded as an adoption, like {@link #REMOTE_SAW_LOCAL}.
     */
    BOTH_SUPERSEDED
  }

  Reason reason();

  /** A decision that makes the path hold another version: {@link #result()}. */
  sealed interface Change extends Decision permits Adopt, Apply {

    /** The version the path ends with. */
    FileRecord result();

    /**
     * Whether the decision rests on which content a side had seen ({@link Reason#REMOTE_SAW_LOCAL},
     * {@link Reason#BOTH_SUPERSEDED}): the device that records it records an adoption of its own.
     */
    default boolean isAdoption() {
      return reason() == Reason.REMOTE_SAW_LOCAL || reason() == Reason.BOTH_SUPERSEDED;
    }

    /**
     * The record {@code self} stores for this decision: the result, with the counter of
     * {@code self}'s {@linkplain DeviceId#adoptionId() adoption id} bumped (to at least
     * {@code epochSecond}) when {@link #isAdoption()}. Another device may merge the same
     * histories the other way round, and two different records must never share a version
     * vector. Not under {@code self}'s own id: that would count as its edit of the path, and
     * make content it had written look replaced by it.
     */
    default FileRecord recordedBy(DeviceId self, long epochSecond) {
      FileRecord result = result();
      return isAdoption() ? result.withVersion(result.version().increment(self.adoptionId(), epochSecond)) : result;
    }

    /**
     * Whether carrying this out only records a version, given what this device holds: an
     * adoption, or a version whose content and metadata are {@code local}'s already (say a
     * peer's adoption of our own content, after both sides started from copies of one folder).
     */
    default boolean changesNothingOnDisk(FileRecord local) {
      return this instanceof Adopt
          || this instanceof Apply a && a.conflictCopy().isEmpty() && a.result().sameContentAndMetadata(local);
    }
  }

  /** Nothing to do: the local record and the disk stay as they are. */
  record Keep(Reason reason) implements Decision {
    public Keep {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The disk already holds the right content and metadata; only the local record changes, to
   * {@code result} (a merged version).
   */
  record Adopt(FileRecord result, Reason reason) implements Change {
    public Adopt {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Make the disk hold {@code result} and record it. When {@code conflictCopy} is present, the
   * local version loses a conflict: first keep its content at the copy's path, then apply
   * {@code result}. Nothing else is allowed to replace local content that no version includes.
   */
  record Apply(FileRecord result, Optional<RelativePath> conflictCopy, Reason reason) implements Change {
    public Apply {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(conflictCopy, "conflictCopy");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
