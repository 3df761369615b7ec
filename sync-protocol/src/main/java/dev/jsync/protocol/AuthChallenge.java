package dev.jsync.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The first message each side sends after TLS: its protocol version, a fresh random nonce and
 * its EC J-PAKE round 1 (docs/protocol.md, "Authentication").
 *
 * <p>A challenge of another protocol version is still decoded, so that the receiver can refuse it
 * with a clear message; its other fields are then not checked and read as empty.
 *
 * @param protocolVersion the sender's protocol version ({@link Protocol#VERSION})
 * @param nonce {@value Protocol#NONCE_BYTES} random bytes (copied in and out); empty for another
 *     version
 * @param pakeRound1 {@value Protocol#PAKE_ROUND1_BYTES} bytes (copied in and out); empty for another
 *     version
 */
public record AuthChallenge(int protocolVersion, byte[] nonce, byte[] pakeRound1) implements Message {

  public AuthChallenge {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(pakeRound1, "pakeRound1");
    if (protocolVersion <= 0) {
      throw new IllegalArgumentException("protocol version must be positive: " + protocolVersion);
    }
    if (protocolVersion == Protocol.VERSION) {
      if (nonce.length != Protocol.NONCE_BYTES) {
        throw new IllegalArgumentException("a nonce is " + Protocol.NONCE_BYTES + " bytes, got " + nonce.length);
      }
      if (pakeRound1.length != Protocol.PAKE_ROUND1_BYTES) {
        throw new IllegalArgumentException(
            "a J-PAKE round 1 is " + Protocol.PAKE_ROUND1_BYTES + " bytes, got " + pakeRound1.length);
      }
    }
    nonce = nonce.clone();
    pakeRound1 = pakeRound1.clone();
  }

  /** A challenge of another protocol version: only the version is carried. */
  public static AuthChallenge ofOtherVersion(int protocolVersion) {
    if (protocolVersion == Protocol.VERSION) {
      throw new IllegalArgumentException("this is the current version: " + protocolVersion);
    }
    return new AuthChallenge(protocolVersion, new byte[0], new byte[0]);
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] pakeRound1() {
    return pakeRound1.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthChallenge c && c.protocolVersion == protocolVersion && Arrays.equals(c.nonce, nonce)
        && Arrays.equals(c.pakeRound1, pakeRound1);
  }

  @Override
  public int hashCode() {
    return (31 * protocolVersion + Arrays.hashCode(nonce)) * 31 + Arrays.hashCode(pakeRound1);
  }

  @Override
  public String toString() {
    return "AuthChallenge[v" + protocolVersion + ", nonce "
        + HexFormat.of().formatHex(nonce, 0, Math.min(4, nonce.length)) + "...]";
  }
}
