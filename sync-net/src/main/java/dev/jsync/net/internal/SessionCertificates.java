package dev.jsync.net.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The two certificates of one TLS session, DER-encoded, as this end sees them: its own and the
 * peer's. Authentication proofs are bound to exactly these.
 */
record SessionCertificates(byte[] local, byte[] peer) {

  /** Where {@link AuthHandler} gets them; tests substitute fixed certificates for a TLS session. */
  interface Source {
    SessionCertificates of(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException, CertificateEncodingException;
  }

  /**
   * Reads the peer's certificate from the pipeline's {@link SslHandler} once its handshake is
   * complete; ours is the device's own, which is the only one our contexts ever present.
   *
   * <p>Ours is not read from the session: a session's local certificates are what this end sent
   * in that handshake, and a resumed TLS 1.3 session sends none (the JDK then reports none, and
   * every later connection of a pair failed here until a full handshake happened by chance).
   * Dialers never offer resumption anyway ({@link PeerChannelInitializer} gives the client
   * engine no peer address to look a cached session up by), so every handshake is full and
   * the peer's certificate is the one it proved it holds the key of in this very handshake.
   */
  static Source fromTls(DeviceIdentity identity) {
    byte[] mine = identity.certificateDer();
    return ctx -> {
      SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
      Certificate[] theirs = session.getPeerCertificates(); // throws if the peer sent none
      if (theirs.length == 0) {
        throw new SSLPeerUnverifiedException("the peer presented no certificate");
      }
      return new SessionCertificates(mine.clone(), theirs[0].getEncoded());
    };
  }
}
