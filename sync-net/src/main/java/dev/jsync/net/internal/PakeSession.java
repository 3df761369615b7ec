package dev.jsync.net.internal;

import dev.jsync.protocol.Protocol;
import java.lang.reflect.Constructor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurve;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * One end of one connection's password-authenticated key exchange: EC J-PAKE over P-256 from
 * BouncyCastle ({@link ECJPAKEParticipant}), followed by a key confirmation of jSync's own that
 * covers the whole exchange and both TLS certificates (docs/protocol.md, "Authentication").
 *
 * <p>What it binds, and why:
 * <ul>
 *   <li>Each participant's J-PAKE id is its role and the SHA-256 of the certificate it presents
 *       ({@code "jsync/2 D <hex>"}, {@code "jsync/2 L <hex>"}). The Schnorr proofs of both rounds
 *       hash the sender's id, and the receiver checks them against the certificate it sees in its
 *       own TLS session: a payload relayed from another TLS session (a man in the middle, who must
 *       present a certificate of its own to each end) fails there, before either end has sent
 *       anything that depends on the secret.</li>
 *   <li>The key confirmation is HMAC-SHA256, keyed from the J-PAKE key, over both roles, both
 *       certificate hashes, both nonces and all four round payloads as sent. It matches only if
 *       both ends used the same secret and saw the same exchange in the same TLS session.</li>
 * </ul>
 *
 * <p>Wire layouts (fixed length; points SEC1-compressed, 33 bytes; scalars unsigned big-endian,
 * 32 bytes): round 1 = {@code G·x1 | G·x2 | V1 | r1 | V2 | r2} ({@value Protocol#PAKE_ROUND1_BYTES}
 * bytes); round 2 = {@code A | V | r} ({@value Protocol#PAKE_ROUND2_BYTES} bytes).
 *
 * <p>Not thread-safe: one per connection, used on its event loop. Each step may be taken once,
 * in order; a step out of order throws {@link IllegalStateException}.
 */
final class PakeSession {

  static final ECJPAKECurve CURVE = ECJPAKECurves.NIST_P256;
  private static final int POINT_BYTES = 33;
  private static final int SCALAR_BYTES = 32;
  private static final byte[] CONFIRMATION_LABEL = "jsync-auth-v2 key confirmation".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONFIRMATION_KEY_LABEL = "jsync-auth-v2 confirmation key".getBytes(StandardCharsets.US_ASCII);

  /**
   * BouncyCastle 1.87 gives {@link ECSchnorrZKP} no public constructor: a proof can be made (by a
   * participant) but not read back from bytes. This is its package-private constructor, reached
   * once; every handshake test (HandshakeTest, OfflineGuessingTest) fails if a BouncyCastle
   * upgrade removes it.
   */
  private static final Constructor<ECSchnorrZKP> ZKP;

  static {
    try {
      ZKP = ECSchnorrZKP.class.getDeclaredConstructor(ECPoint.class, BigInteger.class);
      ZKP.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError("this BouncyCastle has no ECSchnorrZKP(ECPoint, BigInteger): " + e);
    }
  }

  /** A payload or confirmation from the peer was malformed or did not verify. */
  static final class Failure extends Exception {
    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Role role;
  private final ECJPAKEParticipant participant;
  private final String peerId;
  private final byte[] dialerCertHash;
  private final byte[] listenerCertHash;
  private final byte[] myNonce;
  private byte[] theirNonce;
  private byte[] myRound1;
  private byte[] theirRound1;
  private byte[] myRound2;
  private byte[] theirRound2;
  private byte[] confirmationKey;

  /**
   * @param password the J-PAKE password ({@link SecretKeys#derive})
   * @param myCertHash SHA-256 of the certificate this end presents
   * @param theirCertHash SHA-256 of the certificate the peer presented in this TLS session
   */
  PakeSession(Role role, byte[] password, byte[] myCertHash, byte[] theirCertHash, SecureRandom random) {
    this.role = role;
    this.dialerCertHash = (role == Role.DIALER ? myCertHash : theirCertHash).clone();
    this.listenerCertHash = (role == Role.DIALER ? theirCertHash : myCertHash).clone();
    // BouncyCastle maps the password's UTF-8 bytes to a scalar mod n; hex keeps those bytes ASCII.
    char[] chars = HexFormat.of().formatHex(password).toCharArray();
    this.participant = new ECJPAKEParticipant(id(role, myCertHash), chars, CURVE, SHA256Digest.newInstance(), random);
    java.util.Arrays.fill(chars, '\0');
    this.peerId = id(role.other(), theirCertHash);
    this.myNonce = new byte[Protocol.NONCE_BYTES];
    random.nextBytes(myNonce);
  }

  private static String id(Role role, byte[] certHash) {
    return "jsync/" + Protocol.VERSION + " " + (char) role.tag + " " + HexFormat.of().formatHex(certHash);
  }

  byte[] nonce() {
    return myNonce.clone();
  }

  /** This end's round 1 ({@value Protocol#PAKE_ROUND1_BYTES} bytes); independent of the secret. */
  byte[] round1() {
    ECJPAKERound1Payload p = participant.createRound1PayloadToSend();
    myRound1 = concat(point(p.getGx1()), point(p.getGx2()),
        point(p.getKnowledgeProofForX1().getV()), scalar(p.getKnowledgeProofForX1().getr()),
        point(p.getKnowledgeProofForX2().getV()), scalar(p.getKnowledgeProofForX2().getr()));
    return myRound1.clone();
  }

  /** Checks the peer's nonce and round 1: points on the curve, proofs valid and made by the peer's certificate. */
  void acceptRound1(byte[] nonce, byte[] bytes) throws Failure {
    theirNonce = nonce.clone();
    theirRound1 = bytes.clone();
    try {
      int at = 0;
      ECPoint gx1 = readPoint(bytes, at);
      ECPoint gx2 = readPoint(bytes, at += POINT_BYTES);
      ECSchnorrZKP zkp1 = zkp(bytes, at += POINT_BYTES);
      ECSchnorrZKP zkp2 = zkp(bytes, at + POINT_BYTES + SCALAR_BYTES);
      participant.validateRound1PayloadReceived(new ECJPAKERound1Payload(peerId, gx1, gx2, zkp1, zkp2));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new Failure("its J-PAKE round 1 does not verify for the certificate it presented", e);
    }
  }

  /** This end's round 2 ({@value Protocol#PAKE_ROUND2_BYTES} bytes); after {@link #acceptRound1}. */
  byte[] round2() {
    ECJPAKERound2Payload p = participant.createRound2PayloadToSend();
    myRound2 = concat(point(p.getA()), point(p.getKnowledgeProofForX2s().getV()),
        scalar(p.getKnowledgeProofForX2s().getr()));
    return myRound2.clone();
  }

  /** Checks the peer's round 2 and derives the shared key; after {@link #round2}. */
  void acceptRound2(byte[] bytes) throws Failure {
    theirRound2 = bytes.clone();
    try {
      ECPoint a = readPoint(bytes, 0);
      ECSchnorrZKP zkp = zkp(bytes, POINT_BYTES);
      participant.validateRound2PayloadReceived(new ECJPAKERound2Payload(peerId, a, zkp));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new Failure("its J-PAKE round 2 does not verify for the certificate it presented", e);
    }
    byte[] keyingMaterial = BigIntegers.asUnsignedByteArray(SCALAR_BYTES, participant.calculateKeyingMaterial());
    confirmationKey = hmac(keyingMaterial, CONFIRMATION_KEY_LABEL);
    java.util.Arrays.fill(keyingMaterial, (byte) 0);
  }

  /** The key confirmation this end sends; after {@link #acceptRound2}. */
  byte[] myConfirmation() {
    return confirmation(role);
  }

  /** Checks the peer's key confirmation in constant time; after {@link #acceptRound2}. */
  boolean peerConfirms(byte[] received) {
    return MessageDigest.isEqual(confirmation(role.other()), received);
  }

  /**
   * HMAC-SHA256(ck, label | prover | certHash_D | certHash_L | nonce_D | nonce_L | round1_D |
   * round1_L | round2_D | round2_L): every part has a fixed length, so the concatenation is
   * unambiguous; the prover byte keeps one side's confirmation from being reflected as the other's.
   */
  private byte[] confirmation(Role prover) {
    if (confirmationKey == null) {
      throw new IllegalStateException("no key yet");
    }
    boolean dialer = role == Role.DIALER;
    return hmac(confirmationKey, CONFIRMATION_LABEL, new byte[] {prover.tag}, dialerCertHash, listenerCertHash,
        dialer ? myNonce : theirNonce, dialer ? theirNonce : myNonce,
        dialer ? myRound1 : theirRound1, dialer ? theirRound1 : myRound1,
        dialer ? myRound2 : theirRound2, dialer ? theirRound2 : myRound2);
  }

  private static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JDK has HmacSHA256", e);
    }
  }

  private static byte[] point(ECPoint p) {
    return p.getEncoded(true);
  }

  private static byte[] scalar(BigInteger s) {
    return BigIntegers.asUnsignedByteArray(SCALAR_BYTES, s);
  }

  private static ECPoint readPoint(byte[] bytes, int at) {
    byte[] encoded = java.util.Arrays.copyOfRange(bytes, at, at + POINT_BYTES);
    if (encoded[0] != 2 && encoded[0] != 3) {
      throw new IllegalArgumentException("not a compressed point");
    }
    // decodePoint rejects an x with no point on the curve.
    return CURVE.getCurve().decodePoint(encoded);
  }

  private static ECSchnorrZKP zkp(byte[] bytes, int at) {
    ECPoint v = readPoint(bytes, at);
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, at + POINT_BYTES, at + POINT_BYTES + SCALAR_BYTES));
    if (r.compareTo(CURVE.getN()) >= 0) {
      throw new IllegalArgumentException("proof scalar out of range");
    }
    try {
      return ZKP.newInstance(v, r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a Schnorr proof", e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
