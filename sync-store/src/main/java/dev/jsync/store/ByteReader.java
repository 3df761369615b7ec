package dev.jsync.store;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against what is left: malformed
 * input throws {@link CorruptDataException}, never an index error or a huge allocation.
 *
 * <p>Not thread-safe; no I/O.
 */
final class ByteReader {

  private final byte[] buf;
  private int pos;
  private final int end;

  ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  byte[] readBytes(int length) {
    need(length);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return out;
  }

  /** Moves past {@code length} bytes without copying them. */
  void skip(int length) {
    if (length < 0) {
      throw new CorruptDataException("negative length " + length);
    }
    need(length);
    pos += length;
  }

  int readInt() {
    need(4);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (buf[pos++] & 0xFF);
    }
    return value;
  }

  long readLong() {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (buf[pos++] & 0xFF);
    }
    return value;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0 || (shift == 63 && b > 1)) {
          throw new CorruptDataException("varint overflows a signed 64-bit number");
        }
        return value;
      }
    }
    throw new CorruptDataException("varint longer than 10 bytes");
  }

  /** A varint count that must fit in an int and be at most {@code max}. */
  int readCount(int max) {
    long n = readVarLong();
    if (n > max) {
      throw new CorruptDataException("count " + n + " exceeds " + max);
    }
    return (int) n;
  }

  String readString() {
    int length = readCount(remaining());
    need(length);
    if (isAscii(buf, pos, length)) {
      // Nearly every string the store holds (file keys, most names): no decoder, no buffers.
      String s = new String(buf, pos, length, StandardCharsets.ISO_8859_1);
      pos += length;
      return s;
    }
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, length))
          .toString();
      pos += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new CorruptDataException("string is not valid UTF-8", e);
    }
  }

  /** True if every byte of {@code bytes[from, from + length)} is ASCII (which then decodes as Latin-1). */
  static boolean isAscii(byte[] bytes, int from, int length) {
    for (int i = from, end = from + length; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  int remaining() {
    return end - pos;
  }

  /** Fails unless every byte was read: trailing bytes mean the layout was misread. */
  void expectEnd() {
    if (pos != end) {
      throw new CorruptDataException((end - pos) + " unexpected trailing bytes");
    }
  }

  private void need(int n) {
    if (n < 0 || n > end - pos) {
      throw new CorruptDataException("truncated: need " + n + " bytes, " + (end - pos) + " left");
    }
  }
}
