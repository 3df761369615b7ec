package dev.jsync.net.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Test access to certificate generation: a key and self-signed certificate nobody else holds. */
public final class TestCertificates {

  public final PrivateKey key;
  public final X509Certificate certificate;

  private TestCertificates(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  public static TestCertificates generate() throws GeneralSecurityException {
    SelfSignedCertificates.KeyAndCertificate k = SelfSignedCertificates.generate(Instant.now(), new SecureRandom());
    return new TestCertificates(k.keys().getPrivate(), k.certificate());
  }
}
