package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;

/**
 * A path whose local version some peer's version should replace. Only the path and a hint are
 * kept: the target is chosen afresh from the peers' current records when the pull starts, so a
 * need never goes stale. Confined to the engine's control thread.
 */
final class Need {

  final RelativePath path;
  /** The peer whose announcement created the need (for status). */
  DeviceId from;
  /** Bytes the target holds (for status; an upper bound on what must be fetched). */
  long bytes;
  /** Earliest time (clock nanos) of the next attempt after a failure; 0 if none. */
  long notBeforeNanos;
  int failures;
  /** Whether it was reported that ignored files keep this folder from being deleted. */
  boolean heldReported;
  /** The target is a delete: run after pulls, which may still reuse this path's blocks. */
  boolean delete;
  /** The queue this need is in ({@link Needs}), null if none (being pulled, or resolved). */
  java.util.Queue<Need> queue;

  Need(RelativePath path, DeviceId from, long bytes, boolean delete) {
    this.path = path;
    this.from = from;
    this.bytes = bytes;
    this.delete = delete;
  }
}
