package dev.jsync.net.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/**
 * Maps the shared secret to the J-PAKE password: SHA-256 of a label and the secret's UTF-8 bytes
 * after Unicode NFC normalisation (so that the same passphrase typed on different systems gives
 * the same password).
 *
 * <p>No slow key derivation and no salt, on purpose: they exist to make offline guessing costly,
 * and the J-PAKE exchange ({@link PakeSession}) gives nobody (a stranger who connects, a listener
 * dialed by mistake, anyone on the path) a value against which a guess can be tested offline.
 * What remains is online guessing, one guess per connection, slowed by {@link AuthFailureTracker}.
 * The hash only gives J-PAKE a fixed-length, domain-separated input. docs/protocol.md has the
 * argument in full. Stateless; thread-safe.
 */
final class SecretKeys {

  static final int KEY_BYTES = 32;
  private static final byte[] LABEL = "jsync-auth-v2 password\0".getBytes(StandardCharsets.US_ASCII);

  private SecretKeys() {
  }

  /** The J-PAKE password for {@code secret}. */
  static byte[] derive(String secret) {
    byte[] utf8 = Normalizer.normalize(secret, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(LABEL);
      return sha.digest(utf8);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    } finally {
      java.util.Arrays.fill(utf8, (byte) 0);
    }
  }
}
