package dev.jsync.protocol;

import dev.jsync.core.transport.BlockReply;
import java.util.Objects;

/**
 * The answer to the request with id {@code requestId}: the bytes, or why there are none.
 * Data is at most {@link Protocol#MAX_BLOCK_BYTES}; it is not verified here (the requester's
 * engine checks it against the hash it asked for).
 */
public record BlockResponseMessage(long requestId, BlockReply reply) implements Message {

  public BlockResponseMessage {
    Objects.requireNonNull(reply, "reply");
    if (reply instanceof BlockReply.Data d && d.bytes().length > Protocol.MAX_BLOCK_BYTES) {
      throw new IllegalArgumentException("a block is at most " + Protocol.MAX_BLOCK_BYTES
          + " bytes, got " + d.bytes().length);
    }
    if (reply instanceof BlockReply.Failure f) {
      reply = BlockReply.failure(f.error(), Texts.cut(f.detail()));
    }
  }
}
