package dev.jsync.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a tombstone may be forgotten. A delete is recorded as a tombstone so that a device that
 * still has the file does not bring it back; forgetting it too early would do exactly that.
 * A tombstone may go only when both hold:
 * <ul>
 *   <li>it is older than the retention period (30 days by default, as in the original), and
 *   </li>
 *   <li>every known peer has acknowledged it: its index holds a tombstone for the path whose
 *       version is equal to or after ours. A peer that was away longer than the retention
 *       period therefore still receives the delete when it returns.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class TombstonePolicy {

  /** The original tool's retention period. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  private final Duration retention;

  private TombstonePolicy(Duration retention) {
    this.retention = retention;
  }

  public static TombstonePolicy defaults() {
    return new TombstonePolicy(DEFAULT_RETENTION);
  }

  public static TombstonePolicy withRetention(Duration retention) {
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
    return new TombstonePolicy(retention);
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Returns {@code true} if {@code tombstone} may be removed from the local index.
   *
   * @param now the current time
   * @param peerRecords for every known peer, its record of the same path, if any
   */
  public boolean canForget(FileRecord tombstone, Instant now, Map<DeviceId, Optional<FileRecord>> peerRecords) {
    if (!tombstone.deleted()) {
      return false;
    }
    Instant deletedAt = Instant.ofEpochSecond(0, tombstone.deletedAtNanos());
    if (Duration.between(deletedAt, now).compareTo(retention) < 0) {
      return false;
    }
    for (Optional<FileRecord> theirs : peerRecords.values()) {
      boolean acknowledged = theirs.isPresent()
          && theirs.get().deleted()
          && theirs.get().version().dominates(tombstone.version());
      if (!acknowledged) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "TombstonePolicy[retention=" + retention + "]";
  }
}
