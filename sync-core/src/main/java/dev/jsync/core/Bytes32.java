package dev.jsync.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The shared body of the 32-byte values {@link DeviceId} and {@link Sha256}: the bytes, copied
 * in and out so that no caller can change a value after the fact, with equality, hash code and
 * unsigned byte order over them.
 *
 * <p>Two values are equal only if they are of the same class and hold the same bytes: a device
 * id never equals the digest that happens to share its bytes.
 *
 * <p>Immutable and thread-safe.
 */
abstract sealed class Bytes32 permits DeviceId, Sha256 {

  /** The length of every value, in bytes. */
  static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  /** Takes {@code bytes} as they are: the caller hands over an array nobody else holds. */
  Bytes32(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * A private copy of {@code bytes} for a new value.
   *
   * @throws IllegalArgumentException naming {@code what} if {@code bytes} is not 32 bytes long
   */
  static byte[] copyOf(byte[] bytes, String what) {
    Objects.requireNonNull(bytes, what);
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a " + what + " is " + LENGTH + " bytes, got " + bytes.length);
    }
    return bytes.clone();
  }

  /** The 32 bytes (a copy). */
  public final byte[] toBytes() {
    return bytes.clone();
  }

  /** The bytes themselves, for subclasses that only read them. */
  final byte[] bytes() {
    return bytes;
  }

  /** The bytes as 64 lower-case hex digits. */
  final String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Unsigned byte order, the order both subclasses sort by. */
  final int compareBytes(Bytes32 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(((Bytes32) o).bytes, bytes);
  }

  @Override
  public final int hashCode() {
    return hash;
  }
}
