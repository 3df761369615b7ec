package dev.jsync.net.internal;

import dev.jsync.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Derives the authentication key K from the shared secret with scrypt, once per process.
 *
 * <p>Why a slow, memory-hard function: a proof seen on the wire (by a peer that connected, or
 * one a node dialed) lets its holder test guesses of the secret offline, as fast as they can
 * compute K. scrypt with N = 2^15, r = 8, p = 3 (one of OWASP's recommended settings) costs about
 * 0.2 s and 32 MiB per guess on a desktop core, and its memory demand makes GPUs and ASICs far
 * less effective than against an iterated hash such as PBKDF2. 32 MiB also fits a Raspberry Pi's
 * small heap, where the one-off derivation takes a couple of seconds. A weak secret stays weak:
 * this only multiplies the cost of each guess.
 *
 * <p>The salt is a fixed application constant because both ends must derive the same K before
 * they can exchange anything authenticated; the certificates and nonces in each proof keep
 * proofs unique per connection.
 *
 * <p>The secret is normalised to Unicode NFC first, so that the same passphrase typed on
 * different systems gives the same key. Thread-safe; keys are cached per secret for the life of
 * the process.
 */
final class SecretKeys {

  static final int COST_N = 1 << 15;
  static final int BLOCK_SIZE_R = 8;
  static final int PARALLELISM_P = 3;
  static final int KEY_BYTES = 32;
  private static final byte[] SALT = "jsync-auth-v1 key derivation".getBytes(StandardCharsets.UTF_8);

  private static final Map<Sha256, byte[]> CACHE = new ConcurrentHashMap<>();

  private SecretKeys() {
  }

  /** K for {@code secret} (a copy); the first call per secret takes a fraction of a second. */
  static byte[] derive(String secret) {
    byte[] utf8 = Normalizer.normalize(secret, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
    // Cached under a hash, so the map never holds the secret itself.
    return CACHE.computeIfAbsent(Sha256.of(utf8),
        h -> SCrypt.generate(utf8, SALT, COST_N, BLOCK_SIZE_R, PARALLELISM_P, KEY_BYTES)).clone();
  }
}
