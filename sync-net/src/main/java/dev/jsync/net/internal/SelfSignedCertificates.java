package dev.jsync.net.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Makes a device's key pair and self-signed certificate: EC P-256, ECDSA with SHA-256. The keys
 * and the signature come from the JDK's providers; BouncyCastle only lays the certificate out
 * (its ASN.1 builder, without its JCA helper layer, which would load some 300 more classes into
 * every node that ever made a certificate). Nobody checks these certificates against an
 * authority: the fingerprint is the device id, and the shared-secret handshake is what
 * authenticates a peer. Stateless; no I/O.
 */
final class SelfSignedCertificates {

  /** RFC 5280's "no well-defined expiration date". */
  private static final Date NEVER = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

  private SelfSignedCertificates() {
  }

  record KeyAndCertificate(KeyPair keys, X509Certificate certificate) {
  }

  static KeyAndCertificate generate(Instant now, SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=jsync");
    // A day in the past, so a peer whose clock is a little behind sees a valid certificate.
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, new BigInteger(63, random).add(BigInteger.ONE),
        Date.from(now.minus(1, ChronoUnit.DAYS)), NEVER, name,
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(keys.getPrivate(), random);
    byte[] der;
    try {
      der = builder.build(new JdkSigner(signature)).getEncoded();
    } catch (java.io.IOException | IllegalStateException e) {
      throw new GeneralSecurityException("cannot sign the certificate", e);
    }
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    certificate.verify(keys.getPublic());
    return new KeyAndCertificate(keys, certificate);
  }

  /** Signs what the builder writes with an initialised JDK {@link Signature}: ECDSA with SHA-256. */
  private static final class JdkSigner implements ContentSigner {
    private final Signature signature;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();

    JdkSigner(Signature signature) {
      this.signature = signature;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256); // RFC 5758: no parameters
    }

    @Override
    public OutputStream getOutputStream() {
      return content;
    }

    @Override
    public byte[] getSignature() {
      try {
        signature.update(content.toByteArray());
        return signature.sign();
      } catch (java.security.SignatureException e) {
        throw new IllegalStateException("cannot sign the certificate", e);
      }
    }
  }
}
