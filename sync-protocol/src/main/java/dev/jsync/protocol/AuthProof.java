package dev.jsync.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Proof that the sender knows the shared secret: an HMAC over both nonces and both TLS
 * certificates of this connection (docs/protocol.md, "Authentication").
 *
 * @param proof {@value Protocol#PROOF_BYTES} bytes (copied in and out)
 */
public record AuthProof(byte[] proof) implements Message {

  public AuthProof {
    Objects.requireNonNull(proof, "proof");
    if (proof.length != Protocol.PROOF_BYTES) {
      throw new IllegalArgumentException("a proof is " + Protocol.PROOF_BYTES + " bytes, got " + proof.length);
    }
    proof = proof.clone();
  }

  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthProof p && Arrays.equals(p.proof, proof);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(proof);
  }

  @Override
  public String toString() {
    return "AuthProof[...]";
  }
}
