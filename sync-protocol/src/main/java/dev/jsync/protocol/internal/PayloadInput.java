package dev.jsync.protocol.internal;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reading a frame payload without copying it whole. protobuf-java copies a direct (off-heap)
 * buffer into a new array before parsing it; a transport's payloads are direct, and a block
 * response is 128 KiB, so that copy, and a second one out of the parsed message, were most of a
 * receiving node's garbage. A heap payload is parsed in place; a direct one through a stream
 * over the buffer. Either way a large bytes field is copied once, into an array of its exact
 * size, and {@link #bytesOf} hands that array over instead of copying it again.
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

  /**
   * The bytes of {@code s} as an array the caller may keep: the array behind {@code s} when
   * {@code s} is exactly one whole array (what the parser makes for a large field without
   * aliasing: a fresh copy nobody else holds), otherwise a copy.
   */
  static byte[] bytesOf(ByteString s) {
    if (s.size() < 4096) {
      return s.toByteArray(); // the stream parser copies small fields from its buffer anyway
    }
    Whole whole = new Whole();
    try {
      UnsafeByteOperations.unsafeWriteTo(s, whole);
    } catch (java.io.IOException e) {
      throw new AssertionError(e); // Whole never throws
    }
    return whole.array != null && whole.array.length == s.size() ? whole.array : s.toByteArray();
  }

  /** Catches the array of a ByteString that is one whole array; anything else leaves it null. */
  private static final class Whole extends ByteOutput {
    byte[] array;
    private boolean other;

    private void seen(byte[] value, int offset, int length) {
      if (array == null && !other && offset == 0 && length == value.length) {
        array = value;
      } else {
        array = null;
        other = true;
      }
    }

    @Override
    public void write(byte value) {
      other = true;
      array = null;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      seen(value, offset, length);
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      seen(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) {
      other = true;
      array = null;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      other = true;
      array = null;
    }
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
