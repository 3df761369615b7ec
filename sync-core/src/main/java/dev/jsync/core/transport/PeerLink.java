package dev.jsync.core.transport;

import dev.jsync.core.DeviceId;
import java.util.concurrent.CompletionStage;

/**
 * An authenticated connection to one peer, as the engine sees it. Implementations are
 * thread-safe and never block: every call returns at once.
 *
 * <p>Back-pressure is visible through the returned stages: the engine sends the next index
 * batch only once the previous one's stage completes, and bounds its outstanding block
 * requests by count and bytes.
 */
public interface PeerLink {

  /** Who is at the other end (authenticated by the transport). */
  DeviceId peer();

  /**
   * Sends an index batch. Batches arrive in the order sent. The stage completes once the batch
   * has been handed to the network (so the engine may send the next one), or exceptionally if
   * the link closed first.
   */
  CompletionStage<Void> sendIndex(IndexUpdate update);

  /**
   * Asks the peer for a block. The stage completes with the peer's reply, or exceptionally with
   * a {@link LinkClosedException} if the link closes first. The transport checks nothing about
   * the bytes; the engine verifies them against the requested hash.
   */
  CompletionStage<BlockReply> requestBlock(BlockRequest request);

  /**
   * Asks the peer to send its index again from after {@code afterSequence} of its epoch
   * {@code indexEpoch} (from the start if that is not its current epoch). Sent when a batch
   * does not continue from what this side holds, so the link and its transfers survive a gap.
   * Ordered with the index batches this side sends; the peer's answer is ordinary batches.
   */
  void requestIndexFrom(long indexEpoch, long afterSequence);

  /**
   * The address this side dialed to make the link, as configured ({@code host:port}); empty for
   * a link the peer dialed, or a transport without addresses.
   */
  default java.util.Optional<String> dialedAddress() {
    return java.util.Optional.empty();
  }

  /** Closes the link; {@code reason} goes to logs on both ends. Idempotent. */
  void close(String reason);
}
