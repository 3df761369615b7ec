package dev.jsync.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One later step of the password-authenticated key exchange that follows the challenges
 * (docs/protocol.md, "Authentication"): either the sender's EC J-PAKE round 2, or its key
 * confirmation.
 *
 * @param step which step this is
 * @param value the step's bytes (copied in and out): {@value Protocol#PAKE_ROUND2_BYTES} for
 *     round 2, {@value Protocol#CONFIRMATION_BYTES} for a key confirmation
 */
public record AuthProof(Step step, byte[] value) implements Message {

  /** The steps an {@link AuthProof} can carry. */
  public enum Step {
    /** EC J-PAKE round 2: {@code A} and the Schnorr proof of its exponent. */
    PAKE_ROUND2(Protocol.PAKE_ROUND2_BYTES),
    /** HMAC over the whole exchange, keyed from the J-PAKE shared key. */
    KEY_CONFIRMATION(Protocol.CONFIRMATION_BYTES);

    /** The exact length of this step's value. */
    public final int length;

    Step(int length) {
      this.length = length;
    }
  }

  public AuthProof {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(value, "value");
    if (value.length != step.length) {
      throw new IllegalArgumentException(step + " is " + step.length + " bytes, got " + value.length);
    }
    value = value.clone();
  }

  public static AuthProof round2(byte[] value) {
    return new AuthProof(Step.PAKE_ROUND2, value);
  }

  public static AuthProof confirmation(byte[] value) {
    return new AuthProof(Step.KEY_CONFIRMATION, value);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthProof p && p.step == step && Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return step.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "AuthProof[" + step + "]";
  }
}
