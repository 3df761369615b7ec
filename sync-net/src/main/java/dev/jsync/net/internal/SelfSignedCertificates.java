package dev.jsync.net.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a device's key pair and self-signed certificate: EC P-256, ECDSA with SHA-256, built with
 * BouncyCastle's certificate builder on the JDK's own providers. Nobody checks these
 * certificates against an authority: the fingerprint is the device id, and the shared-secret
 * handshake is what authenticates a peer. Stateless; no I/O.
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
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, random).add(BigInteger.ONE),
        Date.from(now.minus(1, ChronoUnit.DAYS)), NEVER, name, keys.getPublic());
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new KeyAndCertificate(keys, certificate);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certificate", e);
    }
  }
}
