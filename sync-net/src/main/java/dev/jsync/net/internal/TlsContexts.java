package dev.jsync.net.internal;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The TLS 1.3 contexts of one device, both ends presenting the device's certificate.
 *
 * <p>Peers' certificates are deliberately accepted as they are at the TLS layer (any
 * certificate, no host-name check): they are self-signed, there is no authority to check them
 * against, and a peer's address says nothing about its identity. Authentication happens right
 * after, in {@link AuthHandler}, with proofs bound to the certificates of the session; a
 * certificate nobody can authenticate gets nothing. Immutable; thread-safe.
 */
final class TlsContexts {

  private static final String TLS_1_3 = "TLSv1.3";

  final SslContext server;
  final SslContext client;

  TlsContexts(DeviceIdentity identity) throws SSLException {
    this.server = SslContextBuilder.forServer(identity.key(), identity.certificate())
        .sslProvider(SslProvider.JDK)
        .protocols(TLS_1_3)
        .clientAuth(ClientAuth.REQUIRE)
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        .build();
    this.client = SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .protocols(TLS_1_3)
        .keyManager(identity.key(), identity.certificate())
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        // Netty 4.2 clients check host names by default; peers are identified by fingerprint.
        .endpointIdentificationAlgorithm(null)
        .build();
  }
}
