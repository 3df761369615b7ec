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

  /** Reads them from the pipeline's {@link SslHandler} once its handshake is complete. */
  static final Source FROM_TLS = ctx -> {
    SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
    Certificate[] mine = session.getLocalCertificates();
    Certificate[] theirs = session.getPeerCertificates();
    if (mine == null || mine.length == 0 || theirs.length == 0) {
      throw new SSLPeerUnverifiedException("a certificate is missing from the TLS session");
    }
    return new SessionCertificates(mine[0].getEncoded(), theirs[0].getEncoded());
  };
}
