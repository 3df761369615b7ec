package dev.jsync.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a {@link SyncNode} did or saw, reported to its {@link SyncListener}s. A closed set:
 * a listener can switch over it and be told by the compiler when a release adds a kind.
 */
public sealed interface SyncEvent {

  /** A scan of the folder finished; {@code changes} local changes were recorded. */
  record ScanFinished(boolean full, int changes, Duration took) implements SyncEvent {}

  /**
   * A scan is under way: {@code changes} changed paths found so far, {@code bytesHashed} bytes of
   * their content read. Sent every thousand changes or so, so a first scan of a large folder
   * (where every file is a change) shows progress; a scan that finds few changes sends none.
   */
  record ScanProgress(boolean full, long changes, long bytesHashed) implements SyncEvent {}

  /** A file, folder or link was written from a peer's version. */
  record FileUpdated(RelativePath path, DeviceId from, long bytesFetched, long bytesReused) implements SyncEvent {}

  /** A path was deleted because a peer deleted it. */
  record FileDeleted(RelativePath path, DeviceId from) implements SyncEvent {}

  /** A conflict: the local version lost and was kept at {@code copy}. */
  record ConflictCopyCreated(RelativePath original, RelativePath copy, DeviceId winner) implements SyncEvent {}

  /**
   * Concurrent edits of a note were merged (docs/conflicts.md, "Merging notes"): {@code path}
   * now holds both, as a new version of this device's that follows both. {@code ours} and
   * {@code theirs} are the authors of the two edits, {@code from} the peer the other came from.
   */
  record FileMerged(RelativePath path, DeviceId ours, DeviceId theirs, DeviceId from) implements SyncEvent {}

  /**
   * Concurrent edits of a note were not merged, though merging was on for it: a conflict copy
   * keeps one of them, as for any other file ({@link ConflictCopyCreated} on the side whose
   * version lost). Sent by the device that tried.
   *
   * @param path the note
   * @param reason why, in a word
   * @param detail why, in a sentence (for {@link Reason#FAILED}, the failure)
   */
  record NotMerged(RelativePath path, Reason reason, String detail) implements SyncEvent {
    public NotMerged {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    /** Why concurrent edits were not merged. */
    public enum Reason {
      /** The version both edits started from is not kept on this device (docs/conflicts.md). */
      NO_COMMON_VERSION,
      /** The edits change the same lines, or a side is not mergeable text. */
      OVERLAPPING_EDITS,
      /** Reading the versions or merging them failed. */
      FAILED
    }
  }

  /**
   * A file or folder was found under a name that is not in Unicode NFC (as macOS tools and some
   * archives write names) on a disk that keeps names as given, and was renamed on disk to the
   * NFC form, {@code path}, under which every device syncs it. It looks the same.
   *
   * @param foundAs the name it had on disk (its last segment, not in NFC)
   */
  record NameNormalized(RelativePath path, String foundAs) implements SyncEvent {
    public NameNormalized {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(foundAs, "foundAs");
    }
  }

  /**
   * The version at {@code path}, which the node wrote from a peer but whose index write failed
   * (reported then as an {@link Error} of category {@link Error.Category#INDEX}), was found on
   * disk by a later scan and recorded: the index and the disk agree again for that path.
   */
  record RecordedAgain(RelativePath path) implements SyncEvent {
    public RecordedAgain {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * The content at {@code version.path()} was kept in the version store before a peer's change
   * replaced or removed it, or before it lost a conflict (docs/history.md).
   */
  record VersionKept(dev.jsync.core.history.Version version) implements SyncEvent {}

  /** A peer connected and exchanged hellos. */
  record PeerConnected(DeviceId peer, String name) implements SyncEvent {}

  /** A peer's link ended: {@code reason} says why in a word, {@code detail} in a sentence. */
  record PeerDisconnected(DeviceId peer, DisconnectReason reason, String detail) implements SyncEvent {
    public PeerDisconnected {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Connecting to (or admitting) a peer failed, for a reason other than the last time at this
   * address: the transport keeps retrying, and a retry that fails the same way is not reported
   * again. The next {@link PeerConnected} ends the failure.
   *
   * @param peer the device at {@code address}, if it was reached before
   * @param address {@code host:port} as dialed, or the address a failed connection came from
   */
  record PeerUnreachable(Optional<DeviceId> peer, String address, DisconnectReason reason, String detail)
      implements SyncEvent {
    public PeerUnreachable {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * How far the node is with what it still has to bring in: counted since the node started,
   * and what is still needed now. Sent at most twice a second while files are needed, and once
   * more when nothing is left.
   *
   * @param filesDone files, folders, links and deletes applied from peers since start
   * @param bytesDone bytes of those files (fetched and reused)
   * @param filesNeeded paths still to bring in
   * @param bytesNeeded an upper bound of the bytes still to fetch
   */
  record Progress(long filesDone, long bytesDone, long filesNeeded, long bytesNeeded) implements SyncEvent {}

  /**
   * The node became in sync with every peer it knows ({@code inSync}: connected, nothing to
   * fetch, every index read), or stopped being so. See {@link SyncStatus#inSync()}.
   */
  record InSyncChanged(boolean inSync) implements SyncEvent {}

  /**
   * A peer's path is not synced here because this folder's file system cannot hold it beside
   * what it holds, or at all; the same problem stays in {@link SyncStatus#nameProblems()} until
   * it is gone. Reported once per problem.
   */
  record NameRefused(NameProblem problem) implements SyncEvent {}

  /**
   * A path recorded on this device has a name Windows cannot hold ({@code reason}: a reserved
   * name, a forbidden character, a trailing dot or space): Windows peers will refuse it (a
   * {@link NameRefused} there) and leave it out. Reported once per path while the node runs.
   */
  record NameNotPortable(RelativePath path, String reason) implements SyncEvent {
    public NameNotPortable {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Something failed; the node carries on and retries later where that makes sense. */
  record Error(Optional<RelativePath> path, Category category, String message, Optional<Throwable> cause)
      implements SyncEvent {
    public Error {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(cause, "cause");
    }

    /** An error of category {@link Category#OTHER}. */
    public Error(Optional<RelativePath> path, String message, Optional<Throwable> cause) {
      this(path, Category.OTHER, message, cause);
    }

    /** What kind of failure: what a program may react to without reading the message. */
    public enum Category {
      /** The file system refused access to a file or folder (permissions, a lock held elsewhere). */
      PERMISSION,
      /** The disk or the user's quota is full. */
      DISK_FULL,
      /** Another failure reading or writing a file of the folder. */
      FILE,
      /** The index store failed to read or write. */
      INDEX,
      /** A peer sent an index the node refused. */
      PEER,
      /** A pattern of {@code .jsyncignore} (or of the device-local rules) is malformed and matches nothing. */
      IGNORE_PATTERN,
      /** Anything else. */
      OTHER
    }
  }
}
