package dev.jsync.cli.internal;

import java.text.Normalizer;
import java.util.Optional;

/**
 * A rough judgement of a shared secret, to refuse very short ones and warn on weak ones.
 *
 * <p>Anyone who can connect to a device of the cluster (or who answers at a peer's address) can
 * try one guess of the secret per connection, slowed after failures (docs/protocol.md, "Threat
 * model"); nothing on the network lets them test guesses offline. So the secret must resist a few
 * million online guesses, not a GPU farm, but a short or single-class secret does not.
 *
 * <p>The estimate is characters × log2(size of the character classes used), where repeated
 * characters count at most twice per distinct character. It catches short secrets and long runs
 * of few characters; it cannot tell that a phrase of common words is easier to guess than its
 * length suggests. Stateless.
 */
final class SecretStrength {

  /** Shorter secrets are refused unless {@code --allow-weak-secret} is given. */
  static final int MIN_CHARACTERS = 8;
  /** Secrets estimated below this many bits get a warning. */
  static final int WARN_BELOW_BITS = 64;

  private SecretStrength() {
  }

  /** Length in Unicode code points after NFC normalisation (how the handshake sees it). */
  static int characters(String secret) {
    String nfc = Normalizer.normalize(secret, Normalizer.Form.NFC);
    return nfc.codePointCount(0, nfc.length());
  }

  /** The rough strength estimate in bits. */
  static double estimatedBits(String secret) {
    String nfc = Normalizer.normalize(secret, Normalizer.Form.NFC);
    int pool = 0;
    pool += nfc.codePoints().anyMatch(c -> c >= 'a' && c <= 'z') ? 26 : 0;
    pool += nfc.codePoints().anyMatch(c -> c >= 'A' && c <= 'Z') ? 26 : 0;
    pool += nfc.codePoints().anyMatch(c -> c >= '0' && c <= '9') ? 10 : 0;
    pool += nfc.codePoints().anyMatch(c -> c < 0x80 && !Character.isLetterOrDigit(c)) ? 33 : 0;
    pool += nfc.codePoints().anyMatch(c -> c >= 0x80) ? 100 : 0;
    if (pool == 0) {
      return 0;
    }
    long distinct = nfc.codePoints().distinct().count();
    long effective = Math.min(nfc.codePointCount(0, nfc.length()), 2 * distinct);
    return effective * (Math.log(pool) / Math.log(2));
  }

  /** Why {@code secret} is too short to accept without {@code --allow-weak-secret}, if it is. */
  static Optional<String> refusal(String secret) {
    int n = characters(secret);
    if (n >= MIN_CHARACTERS) {
      return Optional.empty();
    }
    return Optional.of("the shared secret has " + n + " character" + (n == 1 ? "" : "s") + ", fewer than "
        + MIN_CHARACTERS + ": anyone who can reach a device could guess it; use a longer one (jsync secret prints"
        + " a strong one), or pass --allow-weak-secret to use it anyway");
  }

  /** A warning for a weak secret, if it is one. */
  static Optional<String> warning(String secret) {
    double bits = estimatedBits(secret);
    if (bits >= WARN_BELOW_BITS) {
      return Optional.empty();
    }
    return Optional.of(String.format(java.util.Locale.ROOT, "the shared secret is weak (about %.0f bits, aim for %d"
        + " or more): anyone who can connect to a device of this cluster may try guesses, one per connection;"
        + " 'jsync secret' prints a strong one", bits, WARN_BELOW_BITS));
  }
}
