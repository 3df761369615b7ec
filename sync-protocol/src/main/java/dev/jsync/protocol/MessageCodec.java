package dev.jsync.protocol;

import dev.jsync.protocol.internal.EnvelopeMapping;
import java.nio.ByteBuffer;

/**
 * Turns a {@link Message} into the payload of one frame and back. Decoding checks everything a
 * peer controls: paths go through {@link dev.jsync.core.RelativePath#of}, hashes and ids must
 * have their exact lengths, counters must be in range, block lists must tile their file, enums
 * must be known. Before anything is built, every repeated field is counted against its bound (an
 * index update carries at most {@link Protocol#MAX_RECORDS_PER_UPDATE} records and
 * {@link Protocol#MAX_INLINE_BLOCKS_PER_UPDATE} inline blocks, none shorter than a valid one) and
 * no other field may occur twice, so a frame cannot become many more objects than it has bytes.
 * Whatever the bytes, decoding either returns a
 * valid message or throws {@link ProtocolException}.
 *
 * <p>Stateless; thread-safe; no I/O. The length prefix is {@link FrameFormat}'s business.
 */
public final class MessageCodec {

  private MessageCodec() {
  }

  /** The payload bytes of {@code message}. */
  public static byte[] encode(Message message) {
    return EnvelopeMapping.encode(message);
  }

  /**
   * {@code message}, ready to be written into a buffer of exactly {@link EncodedMessage#size()}
   * bytes: the way to encode without a temporary array (a transport writes it straight into a
   * pooled, off-heap buffer).
   */
  public static EncodedMessage prepare(Message message) {
    return EnvelopeMapping.prepare(message);
  }

  /** The message in {@code payload} (one whole frame payload). */
  public static Message decode(byte[] payload) throws ProtocolException {
    return decode(ByteBuffer.wrap(payload));
  }

  /**
   * The message in the remaining bytes of {@code payload}, heap or direct. The buffer's
   * position is not moved.
   */
  public static Message decode(ByteBuffer payload) throws ProtocolException {
    return EnvelopeMapping.decode(payload);
  }

  /**
   * The message in {@code payload}, received before authentication: only an
   * {@link AuthChallenge}, an {@link AuthProof} or a {@link Close} of at most
   * {@link Protocol#MAX_HANDSHAKE_FRAME_BYTES} bytes; anything else is refused before it is
   * parsed. The buffer's position is not moved.
   */
  public static Message decodeHandshake(ByteBuffer payload) throws ProtocolException {
    return EnvelopeMapping.decodeHandshake(payload);
  }
}
