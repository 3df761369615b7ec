package dev.jsync.net.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import dev.jsync.net.TlsEngine;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

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

  /** Which engine the contexts use: JDK or OPENSSL. */
  final TlsEngine engine;
  /** The same, as a log line names it. */
  final String engineName;

  TlsContexts(DeviceIdentity identity, TlsEngine engine) throws SSLException {
    boolean openSsl = switch (engine) {
      case JDK -> false;
      case AUTO -> OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          Throwable why = OpenSsl.unavailabilityCause();
          throw new SSLException("OpenSSL TLS was asked for but netty-tcnative is not available: "
              + (why == null ? "not on the class path" : why.getMessage()), why);
        }
        if (!SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
          throw new SSLException("OpenSSL TLS was asked for but this netty-tcnative has no TLS 1.3");
        }
        yield true;
      }
    };
    String[] protocols = {TLS_1_3};
    if (openSsl) {
      // BoringSSL through netty-tcnative: the same TLS 1.3, the same "any certificate" rule and
      // the same certificates in the session for AuthHandler to bind its proofs to.
      this.server = SslContextBuilder.forServer(identity.key(), identity.certificate())
          .sslProvider(SslProvider.OPENSSL).protocols(protocols)
          .clientAuth(ClientAuth.REQUIRE).trustManager(new AnyCertificate()).build();
      this.client = SslContextBuilder.forClient()
          .keyManager(identity.key(), identity.certificate())
          .sslProvider(SslProvider.OPENSSL).protocols(protocols)
          .trustManager(new AnyCertificate()).endpointIdentificationAlgorithm(null).build();
      this.engine = TlsEngine.OPENSSL;
      this.engineName = "OpenSSL (" + OpenSsl.versionString() + ")";
      return;
    }
    // The JDK's own SSLContext, wrapped by Netty as it is. Netty's SslContextBuilder would do the
    // same, but its JDK server context first tests a built-in PEM key, which with BouncyCastle on
    // the class path instantiates a whole BouncyCastle JCA provider: some 600 classes, a few MiB
    // of class metadata kept for the life of the node.
    SSLContext jdk = jdkContext(identity);
    this.server = new JdkSslContext(jdk, false, null, IdentityCipherSuiteFilter.INSTANCE,
        ApplicationProtocolConfig.DISABLED, ClientAuth.REQUIRE, protocols, false);
    this.client = new JdkSslContext(jdk, true, null, IdentityCipherSuiteFilter.INSTANCE,
        ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, protocols, false);
    this.engine = TlsEngine.JDK;
    this.engineName = "the JDK's";
  }

  /** TLS 1.3 with the device's key and certificate, accepting any certificate from the other end. */
  private static SSLContext jdkContext(DeviceIdentity identity) throws SSLException {
    try {
      char[] none = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, none);
      store.setKeyEntry("device", identity.key(), none, new Certificate[] {identity.certificate()});
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
      SSLContext context = SSLContext.getInstance(TLS_1_3);
      context.init(keys.getKeyManagers(), new TrustManager[] {new AnyCertificate()}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new SSLException("cannot set TLS up with the device's key and certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Accepts whatever certificate the other end presents, with no host-name check (the class
   * comment says why that is safe here). Extended, so the JDK does not wrap it in checks of its
   * own.
   */
  private static final class AnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
