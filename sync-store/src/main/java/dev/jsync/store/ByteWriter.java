package dev.jsync.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitive encodings of the disk format to a growable array: fixed-width integers
 * big-endian (as {@link java.io.DataOutput} writes them), unsigned LEB128 varints for counts and
 * non-negative numbers that are usually small, and length-prefixed UTF-8 strings.
 *
 * <p>Not thread-safe; no I/O.
 */
final class ByteWriter {

  private byte[] buf;
  private int size;

  ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  ByteWriter writeByte(int value) {
    ensure(1);
    buf[size++] = (byte) value;
    return this;
  }

  ByteWriter writeBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return this;
  }

  /** 4 bytes, big-endian. */
  ByteWriter writeInt(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** 8 bytes, big-endian. */
  ByteWriter writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first, high bit set on all but the last byte. */
  ByteWriter writeVarLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varints encode non-negative numbers only: " + value);
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
    return this;
  }

  /** A varint byte count, then the UTF-8 bytes. */
  ByteWriter writeString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeVarLong(utf8.length);
    return writeBytes(utf8);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
