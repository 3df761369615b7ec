package dev.jsync.store;

import dev.jsync.core.DeviceId;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys of every column family (layouts in {@code docs/store.md}). RocksDB orders keys by
 * unsigned bytes; each layout is chosen so that this order is the one the store iterates in.
 *
 * <p>Paths in keys are written in CESU-8 rather than UTF-8: each UTF-16 code unit on its own, in
 * 1 to 3 bytes, so that a supplementary character is two 3-byte surrogates. Byte order then equals
 * {@link RelativePath}'s order (UTF-16 code units), which plain UTF-8 breaks for characters above
 * U+FFFF (an emoji would sort after U+FF21 instead of before). Like UTF-8, CESU-8 never produces
 * the byte 0xFF, so {@code prefix + 0xFF} is an upper bound of every key that extends
 * {@code prefix} with a path. Paths cannot contain U+0000, so no NUL special case is needed.
 *
 * <p>Stateless and thread-safe; no I/O.
 */
final class Keys {

  /** Sorts after every byte a path key can start with: see the class comment. */
  private static final byte PATH_END = (byte) 0xFF;

  private Keys() {}

  /** In {@code marks}: the first byte of an expired tombstone's key. */
  static final byte EXPIRED = 'e';
  /** In {@code marks}: the first byte of a download folder's key. */
  static final byte DOWNLOAD_FOLDER = 'd';

  /** A key of {@code marks}: {@code kind} ({@link #EXPIRED}, {@link #DOWNLOAD_FOLDER}), then the path. */
  static byte[] mark(byte kind, RelativePath path) {
    byte[] p = path(path);
    byte[] out = new byte[p.length + 1];
    out[0] = kind;
    System.arraycopy(p, 0, out, 1, p.length);
    return out;
  }

  /** The path of a {@code marks} key. */
  static RelativePath pathOfMark(byte[] key) {
    return path(key, 1, key.length - 1);
  }

  /** {@code local} and the value of {@code sequence}: the path. */
  static byte[] path(RelativePath path) {
    String s = path.toString();
    byte[] out = new byte[s.length() * 3];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xC0 | (c >> 6));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      } else {
        out[n++] = (byte) (0xE0 | (c >> 12));
        out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Decodes a path written by {@link #path(RelativePath)} from {@code length} bytes at {@code offset}. */
  static RelativePath path(byte[] key, int offset, int length) {
    if (ByteReader.isAscii(key, offset, length)) {
      // The common case (the periodic scan decodes every key): straight into a compact string.
      return checked(new String(key, offset, length, StandardCharsets.ISO_8859_1));
    }
    char[] chars = new char[length];
    int n = 0;
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int b = key[i] & 0xFF;
      if (b < 0x80) {
        chars[n++] = (char) b;
        i += 1;
      } else if (b >= 0xC0 && b < 0xE0 && i + 1 < end) {
        chars[n++] = (char) (((b & 0x1F) << 6) | continuation(key[i + 1]));
        i += 2;
      } else if (b >= 0xE0 && b < 0xF0 && i + 2 < end) {
        chars[n++] = (char) (((b & 0x0F) << 12) | (continuation(key[i + 1]) << 6) | continuation(key[i + 2]));
        i += 3;
      } else {
        throw new CorruptDataException("bad CESU-8 byte 0x" + Integer.toHexString(b) + " in a path");
      }
    }
    return checked(new String(chars, 0, n));
  }

  private static RelativePath checked(String stored) {
    try {
      return RelativePath.of(stored);
    } catch (InvalidRelativePathException e) {
      throw new CorruptDataException("stored path is invalid: " + e.getMessage(), e);
    }
  }

  private static int continuation(byte b) {
    if ((b & 0xC0) != 0x80) {
      throw new CorruptDataException("bad CESU-8 continuation byte in a path");
    }
    return b & 0x3F;
  }

  /** {@code sequence}: the sequence number, 8 bytes big-endian (sequences are non-negative). */
  static byte[] sequence(long sequence) {
    return new ByteWriter(8).writeLong(sequence).toByteArray();
  }

  static long sequence(byte[] key) {
    if (key.length != 8) {
      throw new CorruptDataException("a sequence key is 8 bytes, got " + key.length);
    }
    return new ByteReader(key).readLong();
  }

  /** {@code remote}: the peer's 32-byte id, then the path. */
  static byte[] remote(DeviceId peer, RelativePath path) {
    return concat(peer.toBytes(), path(path));
  }

  /** {@code position} key, and the prefix of the peer's keys in {@code remote}. */
  static byte[] peer(DeviceId peer) {
    return peer.toBytes();
  }

  /** The peer whose id starts {@code key} (a {@code remote} or {@code position} key). */
  static DeviceId peerOf(byte[] key) {
    if (key.length < DeviceId.LENGTH) {
      throw new CorruptDataException("key shorter than a device id: " + key.length + " bytes");
    }
    return DeviceId.of(Arrays.copyOf(key, DeviceId.LENGTH));
  }

  /** {@code block}: the block's 32-byte SHA-256, then the path of the file holding it. */
  static byte[] block(Sha256 hash, RelativePath path) {
    return concat(hash.toBytes(), path(path));
  }

  /** The path in a {@code remote} or {@code block} key, after the 32-byte id or hash. */
  static RelativePath pathAfter32(byte[] key) {
    if (key.length <= 32) {
      throw new CorruptDataException("key has no path after its 32-byte prefix");
    }
    return path(key, 32, key.length - 32);
  }

  /** {@code meta}: the key's UTF-8 bytes. */
  static byte[] metadata(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** An exclusive upper bound of every key made of {@code prefix} followed by a path. */
  static byte[] pathPrefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
    end[prefix.length] = PATH_END;
    return end;
  }

  /** Returns {@code true} if {@code key} starts with {@code prefix}. */
  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
