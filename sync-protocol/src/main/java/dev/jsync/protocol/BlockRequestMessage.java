package dev.jsync.protocol;

import dev.jsync.core.transport.BlockRequest;
import java.util.Objects;

/**
 * A request for one block, tagged with an id the response will carry.
 *
 * @param requestId chosen by the requester; unique among its requests in flight on a connection
 * @param request what is asked for; its length is at most {@link Protocol#MAX_BLOCK_BYTES}
 */
public record BlockRequestMessage(long requestId, BlockRequest request) implements Message {

  public BlockRequestMessage {
    Objects.requireNonNull(request, "request");
    if (request.length() > Protocol.MAX_BLOCK_BYTES) {
      throw new IllegalArgumentException("a block request is at most " + Protocol.MAX_BLOCK_BYTES
          + " bytes, got " + request.length());
    }
  }
}
