package dev.jsync.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest: the hash of one block or of a whole file's content. Immutable value.
 */
public final class Sha256 extends Bytes32 implements Comparable<Sha256> {

  /** Digest length in bytes. */
  public static final int LENGTH = Bytes32.LENGTH;

  /** The hash of zero bytes. */
  public static final Sha256 EMPTY = of(new byte[0]);

  private Sha256(byte[] bytes) {
    super(bytes);
  }

  /** Wraps a digest (copied). */
  public static Sha256 fromBytes(byte[] digest) {
    return new Sha256(copyOf(digest, "SHA-256 digest"));
  }

  /** Hashes {@code data}. */
  public static Sha256 of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** Hashes {@code length} bytes of {@code data} from {@code offset}. */
  public static Sha256 of(byte[] data, int offset, int length) {
    MessageDigest md = newDigest();
    md.update(data, offset, length);
    return new Sha256(md.digest());
  }

  /** Parses 64 hex digits. */
  public static Sha256 parse(String hex) {
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  /** A fresh SHA-256 {@link MessageDigest}. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** Wraps the result of {@code digest.digest()}, which is not copied again. */
  public static Sha256 finish(MessageDigest digest) {
    return new Sha256(digest.digest());
  }

  /** Returns {@code true} if this is the digest held in {@code digest}. */
  public boolean matches(byte[] digest) {
    return MessageDigest.isEqual(bytes(), digest);
  }

  /** Lower-case hex. */
  @Override
  public String toString() {
    return hex();
  }

  @Override
  public int compareTo(Sha256 o) {
    return compareBytes(o);
  }
}
