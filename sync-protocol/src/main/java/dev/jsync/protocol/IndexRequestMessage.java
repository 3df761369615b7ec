package dev.jsync.protocol;

/**
 * Asks the peer to send its index again from after {@code afterSequence} of epoch
 * {@code indexEpoch}: what a side says when a batch does not continue from what it holds,
 * instead of dropping the link and every transfer on it.
 *
 * @param indexEpoch the peer's index epoch as the sender holds it (any 64-bit value)
 * @param afterSequence the last sequence of that epoch the sender holds; non-negative
 */
public record IndexRequestMessage(long indexEpoch, long afterSequence) implements Message {

  public IndexRequestMessage {
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence must be >= 0: " + afterSequence);
    }
  }
}
