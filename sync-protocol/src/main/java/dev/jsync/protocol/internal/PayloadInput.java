package dev.jsync.protocol.internal;

import com.google.protobuf.CodedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reading a frame payload without copying it whole. protobuf-java copies a direct (off-heap)
 * buffer into a new array before parsing it, and a transport's payloads are direct: a heap
 * payload is parsed in place, a small direct one from one exact copy, a large one (an index
 * update of up to 1 MiB) through a stream over the buffer. Block data, the largest traffic,
 * comes here only if unusually encoded ({@link BlockDataFastPath} takes the rest).
 */
final class PayloadInput {

  private static final int SMALL = 4096;

  private PayloadInput() {
  }

  /**
   * A parser input over {@code payload}'s remaining bytes; the buffer's position is not moved.
   * No aliasing: every bytes field read from it is a fresh array of its own, never a view of the
   * payload (which the transport releases right after decoding).
   */
  static CodedInputStream of(ByteBuffer payload) {
    if (payload.hasArray()) {
      return CodedInputStream.newInstance(payload.array(), payload.arrayOffset() + payload.position(),
          payload.remaining());
    }
    if (payload.remaining() <= SMALL) {
      // Block requests, pings, small index updates: one exact copy is cheaper than a stream
      // and its 4 KiB buffer.
      byte[] copy = new byte[payload.remaining()];
      payload.duplicate().get(copy);
      return CodedInputStream.newInstance(copy);
    }
    return CodedInputStream.newInstance(new BufferStream(payload.duplicate()), SMALL);
  }

  /** An input stream over a buffer's remaining bytes; skipping moves the position only. */
  private static final class BufferStream extends InputStream {
    private final ByteBuffer buf;

    BufferStream(ByteBuffer buf) {
      this.buf = buf;
    }

    @Override
    public int read() {
      return buf.hasRemaining() ? buf.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!buf.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buf.remaining());
      buf.get(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) {
      int k = (int) Math.max(0, Math.min(n, buf.remaining()));
      buf.position(buf.position() + k);
      return k;
    }

    @Override
    public int available() {
      return buf.remaining();
    }
  }
}
