package dev.jsync.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a byte stream into frame payloads ({@link FrameFormat}), fed in chunks of any size.
 * Holds at most {@link FrameFormat#MAX_PREFIX_BYTES} + {@code maxFrameBytes} bytes, and
 * allocates a payload buffer only once its prefix has been accepted. After the first
 * {@link ProtocolException} the stream has lost its framing: the reader stays failed.
 *
 * <p>Not thread-safe (one reader per stream); no I/O.
 */
public final class FrameReader {

  private final int maxFrameBytes;
  private final byte[] prefix = new byte[FrameFormat.MAX_PREFIX_BYTES];
  private int prefixFilled;
  private byte[] payload;
  private int payloadFilled;
  private ProtocolException failure;

  public FrameReader(int maxFrameBytes) {
    this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
  }

  /**
   * Feeds {@code length} bytes of {@code chunk} from {@code offset}.
   *
   * @return the payloads completed by this chunk, in order (often none)
   * @throws ProtocolException if a prefix is malformed or oversize (also on every later call)
   */
  public List<byte[]> feed(byte[] chunk, int offset, int length) throws ProtocolException {
    Objects.checkFromIndexSize(offset, length, chunk.length);
    if (failure != null) {
      throw failure;
    }
    List<byte[]> out = new ArrayList<>(1);
    int i = offset;
    int end = offset + length;
    while (i < end || (payload != null && payloadFilled == payload.length)) {
      if (payload == null) {
        prefix[prefixFilled++] = chunk[i++];
        FrameFormat.Header h;
        try {
          h = FrameFormat.readHeader(k -> prefix[k] & 0xff, prefixFilled, maxFrameBytes);
        } catch (ProtocolException e) {
          failure = e;
          throw e;
        }
        if (h != null) {
          payload = new byte[h.payloadBytes()];
          payloadFilled = 0;
          prefixFilled = 0;
        }
      } else if (payloadFilled < payload.length) {
        int n = Math.min(end - i, payload.length - payloadFilled);
        System.arraycopy(chunk, i, payload, payloadFilled, n);
        payloadFilled += n;
        i += n;
      }
      if (payload != null && payloadFilled == payload.length) {
        out.add(payload);
        payload = null;
      }
    }
    return out;
  }

  /** Feeds a whole array. */
  public List<byte[]> feed(byte[] chunk) throws ProtocolException {
    return feed(chunk, 0, chunk.length);
  }

  /** Bytes held for the frame in progress (prefix or partial payload), never more than the bound. */
  public int bufferedBytes() {
    return payload != null ? payloadFilled : prefixFilled;
  }

  /** Bytes reserved for the frame in progress: its announced payload length, or 0. */
  public int reservedBytes() {
    return payload != null ? payload.length : 0;
  }
}
