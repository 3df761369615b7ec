package dev.jsync.protocol.internal;

import dev.jsync.core.transport.BlockReply;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.v1.BlockResponse;
import dev.jsync.protocol.v1.Envelope;
import java.nio.ByteBuffer;

/**
 * Decodes the most frequent large message, a block response carrying data, with a single copy
 * of the block's bytes from the payload into the array the message keeps. The generic parser
 * copies a block twice (into its own buffer, then into a byte string) and a gigabyte file is
 * eight thousand blocks.
 *
 * <p>Only the exact layout protobuf writes is taken: the envelope's {@code block_response}
 * field spanning the whole payload, holding an optional {@code request_id} then {@code data}
 * spanning the rest. Anything else, valid or not, returns {@code null} and goes through the
 * generic parser, so this path can only ever agree with it (a property test checks that on
 * generated and mutated messages). Stateless.
 */
final class BlockDataFastPath {

  private static final int ENVELOPE_TAG = (Envelope.BLOCK_RESPONSE_FIELD_NUMBER << 3) | 2;
  private static final int REQUEST_ID_TAG = BlockResponse.REQUEST_ID_FIELD_NUMBER << 3;
  private static final int DATA_TAG = (BlockResponse.DATA_FIELD_NUMBER << 3) | 2;

  private BlockDataFastPath() {
  }

  /** The block response in {@code payload}, or null to use the generic parser; position unmoved. */
  static BlockResponseMessage tryDecode(ByteBuffer payload) {
    ByteBuffer b = payload.duplicate();
    if (varint(b) != ENVELOPE_TAG) {
      return null;
    }
    long bodyLength = varint(b);
    if (bodyLength != b.remaining()) {
      return null;
    }
    long tag = varint(b);
    long requestId = 0;
    if (tag == REQUEST_ID_TAG) {
      requestId = varint(b);
      if (requestId < 0) {
        return null; // ids above 2^63 (never ours) are left to the generic parser
      }
      tag = varint(b);
    }
    if (tag != DATA_TAG) {
      return null;
    }
    long dataLength = varint(b);
    if (dataLength != b.remaining() || dataLength > Protocol.MAX_BLOCK_BYTES) {
      return null;
    }
    byte[] data = new byte[(int) dataLength];
    b.get(data);
    return new BlockResponseMessage(requestId, BlockReply.data(data));
  }

  /**
   * A varint of at most 9 bytes (63 bits) at the buffer's position, advancing it; -1 if there
   * is none (truncated or longer), which no caller accepts.
   */
  private static long varint(ByteBuffer b) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (!b.hasRemaining()) {
        return -1;
      }
      byte x = b.get();
      value |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return value;
      }
    }
    return -1;
  }
}
