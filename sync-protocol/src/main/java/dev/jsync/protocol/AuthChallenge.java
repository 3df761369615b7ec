package dev.jsync.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The first message each side sends after TLS: its protocol version and a fresh random nonce
 * that the other side's proof must cover (so that no proof can be replayed).
 *
 * @param protocolVersion the sender's protocol version ({@link Protocol#VERSION})
 * @param nonce {@value Protocol#NONCE_BYTES} random bytes (copied in and out)
 */
public record AuthChallenge(int protocolVersion, byte[] nonce) implements Message {

  public AuthChallenge {
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.length != Protocol.NONCE_BYTES) {
      throw new IllegalArgumentException("a nonce is " + Protocol.NONCE_BYTES + " bytes, got " + nonce.length);
    }
    if (protocolVersion <= 0) {
      throw new IllegalArgumentException("protocol version must be positive: " + protocolVersion);
    }
    nonce = nonce.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthChallenge c && c.protocolVersion == protocolVersion && Arrays.equals(c.nonce, nonce);
  }

  @Override
  public int hashCode() {
    return 31 * protocolVersion + Arrays.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "AuthChallenge[v" + protocolVersion + ", nonce " + HexFormat.of().formatHex(nonce, 0, 4) + "...]";
  }
}
