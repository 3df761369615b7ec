package dev.jsync.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Something a {@link SyncNode} did or saw, reported to its {@link SyncListener}. */
public sealed interface SyncEvent {

  /** A scan of the folder finished; {@code changes} local changes were recorded. */
  record ScanFinished(boolean full, int changes, Duration took) implements SyncEvent {}

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
   * The content at {@code version.path()} was kept in the version store before a peer's change
   * replaced or removed it, or before it lost a conflict (docs/history.md).
   */
  record VersionKept(dev.jsync.core.history.Version version) implements SyncEvent {}

  /** A peer connected and exchanged hellos. */
  record PeerConnected(DeviceId peer, String name) implements SyncEvent {}

  /** A peer's connection ended. */
  record PeerDisconnected(DeviceId peer, String reason) implements SyncEvent {}

  /**
   * A peer's path is not synced here because this folder's file system cannot hold it beside
   * what it holds, or at all; the same problem stays in {@link SyncStatus#nameProblems()} until
   * it is gone. Reported once per problem.
   */
  record NameRefused(NameProblem problem) implements SyncEvent {}

  /** Something failed; the node carries on and retries later where that makes sense. */
  record Error(Optional<RelativePath> path, String message, Optional<Throwable> cause) implements SyncEvent {
    public Error {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(cause, "cause");
    }
  }
}
