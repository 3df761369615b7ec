package dev.jsync.net.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof one side of a connection sends to show it knows the secret:
 *
 * <pre>
 * proof = HMAC-SHA256(K, "jsync-auth-v1" || role || nonce_D || nonce_L || certHash_D || certHash_L)
 *
 *   K           32 bytes, from the secret ({@link SecretKeys})
 *   role        1 byte: 'D' for the dialer's proof, 'L' for the listener's
 *   nonce_D/L   32 bytes each: the dialer's and the listener's challenge nonces
 *   certHash_D/L 32 bytes each: SHA-256 of the dialer's and the listener's TLS certificates,
 *               as seen by the side computing the proof
 * </pre>
 *
 * Every part has a fixed length, so the concatenation is unambiguous. The role byte keeps one
 * side's proof from being reflected back as the other's; the nonces make it useless on any other
 * connection; the certificate hashes make it useless on any other TLS session, which is what
 * defeats a man in the middle: it cannot present the certificates the two real ends present,
 * because it does not have their private keys. Stateless; thread-safe.
 */
final class AuthProofs {

  private static final byte[] LABEL = "jsync-auth-v1".getBytes(StandardCharsets.US_ASCII);

  private AuthProofs() {
  }

  static byte[] compute(byte[] key, Role prover, byte[] dialerNonce, byte[] listenerNonce,
      byte[] dialerCertHash, byte[] listenerCertHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(LABEL);
      mac.update(prover.tag);
      mac.update(dialerNonce);
      mac.update(listenerNonce);
      mac.update(dialerCertHash);
      mac.update(listenerCertHash);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JDK has HmacSHA256", e);
    }
  }

  /** Constant-time comparison, so timing does not reveal how much of a forged proof was right. */
  static boolean matches(byte[] expected, byte[] received) {
    return MessageDigest.isEqual(expected, received);
  }
}
