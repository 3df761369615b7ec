package dev.jsync.protocol;

import java.util.function.IntUnaryOperator;

/**
 * The frame format: every message travels as one frame, a length prefix followed by that many
 * bytes of payload (one protobuf {@code Envelope}).
 *
 * <pre>
 * +---------------------------+----------------------------------------+
 * | length: varint32, 1..4 B  | payload: length bytes (one Envelope)   |
 * | (LEB128: 7 bits per byte, |                                        |
 * |  low group first, high    |                                        |
 * |  bit = "more follows")    |                                        |
 * +---------------------------+----------------------------------------+
 *
 * e.g. a 300-byte payload: AC 02 | 300 bytes
 * </pre>
 *
 * <p>The length must be at most the receiver's maximum frame size (16 MiB by default) and in
 * its shortest encoding. A reader rejects a prefix as soon as the bytes read so far prove it
 * oversize or malformed, before it allocates anything for the payload: a peer cannot make it
 * reserve memory by announcing a huge frame.
 *
 * <p>Stateless; thread-safe; no I/O.
 */
public final class FrameFormat {

  /** Longest prefix this format produces or accepts (varint32 of a length below 2^28). */
  public static final int MAX_PREFIX_BYTES = 4;

  /** Hard upper bound on any configured maximum frame size: what 4 prefix bytes can express. */
  public static final int LARGEST_MAX_FRAME_BYTES = (1 << 28) - 1;

  /** A parsed prefix: its own length and the length of the payload that follows it. */
  public record Header(int prefixBytes, int payloadBytes) {
  }

  private FrameFormat() {
  }

  /** Number of bytes the prefix of a {@code payloadBytes}-long payload takes. */
  public static int prefixLength(int payloadBytes) {
    checkLength(payloadBytes);
    int n = 1;
    for (int v = payloadBytes >>> 7; v != 0; v >>>= 7) {
      n++;
    }
    return n;
  }

  /** Writes the prefix of a {@code payloadBytes}-long payload at {@code dst[at]}; returns its length. */
  public static int writePrefix(int payloadBytes, byte[] dst, int at) {
    checkLength(payloadBytes);
    int v = payloadBytes;
    int i = at;
    while ((v & ~0x7f) != 0) {
      dst[i++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    dst[i++] = (byte) v;
    return i - at;
  }

  /** The prefix alone. */
  public static byte[] prefix(int payloadBytes) {
    byte[] out = new byte[prefixLength(payloadBytes)];
    writePrefix(payloadBytes, out, 0);
    return out;
  }

  /**
   * A whole frame: prefix and payload.
   *
   * @throws IllegalArgumentException if the payload is longer than {@code maxFrameBytes}
   */
  public static byte[] frame(byte[] payload, int maxFrameBytes) {
    if (payload.length > maxFrameBytes) {
      throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the maximum frame size "
          + maxFrameBytes);
    }
    byte[] out = new byte[prefixLength(payload.length) + payload.length];
    int n = writePrefix(payload.length, out, 0);
    System.arraycopy(payload, 0, out, n, payload.length);
    return out;
  }

  /**
   * Parses the prefix at the start of some buffered input without consuming it.
   *
   * @param byteAt the unsigned byte at index {@code i} of the input, for {@code i < available}
   * @param available how many bytes of input there are
   * @param maxFrameBytes the largest payload accepted
   * @return the header, or {@code null} if more bytes are needed to tell
   * @throws ProtocolException if the prefix is malformed (not shortest form, too long) or
   *     announces more than {@code maxFrameBytes}, as soon as the bytes available show it
   */
  public static Header readHeader(IntUnaryOperator byteAt, int available, int maxFrameBytes)
      throws ProtocolException {
    int value = 0;
    for (int i = 0; i < available; i++) {
      int b = byteAt.applyAsInt(i);
      if (i == MAX_PREFIX_BYTES) {
        throw new ProtocolException("frame length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
      }
      value |= (b & 0x7f) << (7 * i);
      // Later bytes only add higher bits: a value already too big can only grow.
      if (value > maxFrameBytes) {
        throw new ProtocolException("frame of at least " + value + " bytes exceeds the maximum of " + maxFrameBytes);
      }
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new ProtocolException("frame length prefix is not in shortest form");
        }
        return new Header(i + 1, value);
      }
    }
    if (available >= MAX_PREFIX_BYTES) {
      throw new ProtocolException("frame length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
    }
    return null;
  }

  /** Checks a configured maximum frame size. */
  public static int checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < 1024 || maxFrameBytes > LARGEST_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("max frame size must be 1 KiB.." + LARGEST_MAX_FRAME_BYTES + ": "
          + maxFrameBytes);
    }
    return maxFrameBytes;
  }

  private static void checkLength(int payloadBytes) {
    if (payloadBytes < 0 || payloadBytes > LARGEST_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("bad payload length " + payloadBytes);
    }
  }
}
