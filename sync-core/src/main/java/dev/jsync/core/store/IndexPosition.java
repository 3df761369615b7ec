package dev.jsync.core.store;

/**
 * How far this device has read a peer's index: the peer's index epoch and the highest sequence
 * number received from it. A peer whose epoch changed (its state was reset) starts from zero.
 */
public record IndexPosition(long epoch, long sequence) {

  /** Nothing received yet. */
  public static final IndexPosition NONE = new IndexPosition(0, 0);

  public IndexPosition {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
    }
  }
}
