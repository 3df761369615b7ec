package dev.jsync.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The identity of one device: 32 bytes, in practice the SHA-256 fingerprint of the device's TLS
 * certificate, so that a device cannot claim another's id without its private key.
 *
 * <p>The text form is unpadded lower-case base32 (RFC 4648 alphabet, 52 characters), safe in
 * file names on every platform; {@link #shortId()} gives its first {@value #SHORT_LENGTH}
 * characters, used in conflict-copy names and logs. Ordering is unsigned byte order, the
 * fixed order used to break ties between devices.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeviceId extends Bytes32 implements Comparable<DeviceId> {

  /** Length of the binary id. */
  public static final int LENGTH = Bytes32.LENGTH;

  /** Length of {@link #shortId()}. */
  public static final int SHORT_LENGTH = 7;

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  // Computed on first use: ids are decoded by the thousand from the store and the wire, and
  // most are only compared. A racy cache is fine: every thread computes the same String.
  private String text;
  private DeviceId adoption;

  private DeviceId(byte[] bytes) {
    super(bytes);
  }

  private String text() {
    String t = text;
    if (t == null) {
      t = base32(bytes());
      text = t;
    }
    return t;
  }

  /** A device id from its 32 bytes (copied). */
  public static DeviceId of(byte[] bytes) {
    return new DeviceId(copyOf(bytes, "device id"));
  }

  /** The id of whoever holds a certificate: SHA-256 of its DER encoding. */
  public static DeviceId fromCertificate(byte[] derEncoded) {
    return new DeviceId(sha256(derEncoded));
  }

  /**
   * A deterministic id derived from a name: SHA-256 of its UTF-8 bytes. Meant for tests,
   * simulations and embedders without certificates; never for authenticating anyone.
   */
  public static DeviceId fromName(String name) {
    return new DeviceId(sha256(name.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The id under which this device counts its <em>adoptions</em> in version vectors: the
   * versions it records when it takes another device's content because that content's author
   * had seen its own ({@link Decision.Reason#REMOTE_SAW_LOCAL}). Such a version must carry a
   * vector no other device can produce, so this device's adoption bumps a counter of its own;
   * but it is not a change of the path's content by this device, and the reconciler asks "has
   * the author changed its content since?" of the author's own id only. Kept apart this way, an
   * adoption can never pass for an edit. SHA-256 of a fixed label and this id's bytes, so every
   * device derives the same one.
   */
  public DeviceId adoptionId() {
    DeviceId a = adoption;
    if (a == null) {
      byte[] label = "jsync adoption id\0".getBytes(StandardCharsets.US_ASCII);
      byte[] input = Arrays.copyOf(label, label.length + LENGTH);
      System.arraycopy(bytes(), 0, input, label.length, LENGTH);
      a = new DeviceId(sha256(input));
      adoption = a;
    }
    return a;
  }

  /**
   * Parses the text form written by {@link #toString()} (case-insensitive).
   *
   * @throws IllegalArgumentException if {@code text} is not a device id
   */
  public static DeviceId parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.toLowerCase(Locale.ROOT);
    if (s.length() != 52) {
      throw new IllegalArgumentException("not a device id (want 52 base32 characters): " + text);
    }
    byte[] out = new byte[LENGTH];
    long buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v = c >= 'a' && c <= 'z' ? c - 'a' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
      if (v < 0) {
        throw new IllegalArgumentException("not a device id (bad character '" + c + "'): " + text);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[pos++] = (byte) (buffer >> bits);
      }
    }
    DeviceId id = new DeviceId(out);
    if (!id.text().equals(s)) {
      throw new IllegalArgumentException("not a device id (non-canonical padding bits): " + text);
    }
    return id;
  }

  /** The first {@value #SHORT_LENGTH} characters of the text form. */
  public String shortId() {
    return text().substring(0, SHORT_LENGTH);
  }

  @Override
  public String toString() {
    return text();
  }

  @Override
  public int compareTo(DeviceId o) {
    return compareBytes(o);
  }

  private static String base32(byte[] data) {
    StringBuilder b = new StringBuilder(52);
    long buffer = 0;
    int bits = 0;
    for (byte value : data) {
      buffer = (buffer << 8) | (value & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        b.append(ALPHABET[(int) (buffer >> bits) & 31]);
      }
    }
    if (bits > 0) {
      b.append(ALPHABET[(int) (buffer << (5 - bits)) & 31]);
    }
    return b.toString();
  }

  private static byte[] sha256(byte[] data) {
    return Sha256.newDigest().digest(data);
  }
}
