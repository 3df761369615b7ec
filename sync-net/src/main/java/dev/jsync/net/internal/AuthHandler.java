package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.protocol.AuthChallenge;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared-secret handshake, run right after TLS (docs/protocol.md, "Authentication"):
 *
 * <pre>
 *   dialer (D)                                 listener (L)
 *   AuthChallenge(v1, nonce_D)  ----------->
 *                               <-----------  AuthChallenge(v1, nonce_L)
 *   AuthProof(proof_D)          ----------->  checks proof_D
 *   checks proof_L              <-----------  AuthProof(proof_L)   (only if proof_D was right)
 * </pre>
 *
 * Both challenges go out at once; the dialer proves first and the listener answers only after
 * checking, so a stranger who merely connects never obtains a proof to attack offline. Anything
 * else before the end of this exchange, or a wrong proof, closes the connection. On success the
 * handler hands over to the hello phase through {@code onAuthenticated}.
 *
 * <p>One per channel; event-loop confined.
 */
final class AuthHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);

  private enum State { AWAIT_TLS, AWAIT_CHALLENGE, AWAIT_PROOF, DONE }

  private final Connection connection;
  private final SessionCertificates.Source certificates;
  private final BiConsumer<ChannelHandlerContext, DeviceId> onAuthenticated;
  private State state = State.AWAIT_TLS;
  private byte[] myNonce;
  private byte[] theirNonce;
  private byte[] myCertHash;
  private byte[] theirCertHash;
  private DeviceId claimed;

  AuthHandler(Connection connection, SessionCertificates.Source certificates,
      BiConsumer<ChannelHandlerContext, DeviceId> onAuthenticated) {
    this.connection = connection;
    this.certificates = certificates;
    this.onAuthenticated = onAuthenticated;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && state == State.AWAIT_TLS) {
      if (!done.isSuccess()) {
        LOG.info("{} TLS handshake with {} failed: {}", node().tag(), connection, done.cause().toString());
        connection.abort("TLS handshake failed: " + done.cause().getMessage());
        return;
      }
      SessionCertificates certs;
      try {
        certs = certificates.of(ctx);
      } catch (SSLPeerUnverifiedException | GeneralSecurityException e) {
        LOG.warn("{} no usable certificates from {}: {}", node().tag(), connection, e.toString());
        connection.abort("no certificates: " + e.getMessage());
        return;
      }
      claimed = DeviceId.fromCertificate(certs.peer());
      myCertHash = DeviceId.fromCertificate(certs.local()).toBytes();
      theirCertHash = claimed.toBytes();
      myNonce = new byte[Protocol.NONCE_BYTES];
      node().random.nextBytes(myNonce);
      state = State.AWAIT_CHALLENGE;
      ctx.writeAndFlush(new AuthChallenge(Protocol.VERSION, myNonce));
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message m)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (m instanceof Close close) {
      onClose(close);
    } else if (state == State.AWAIT_CHALLENGE && m instanceof AuthChallenge challenge) {
      onChallenge(ctx, challenge);
    } else if (state == State.AWAIT_PROOF && m instanceof AuthProof proof) {
      onProof(ctx, proof);
    } else {
      String kind = m.getClass().getSimpleName();
      LOG.warn("{} {} sent {} before authentication finished; closing", node().tag(), connection, kind);
      connection.close(CloseReason.PROTOCOL_ERROR, "unexpected " + kind + " before authentication");
    }
  }

  private void onChallenge(ChannelHandlerContext ctx, AuthChallenge challenge) {
    if (challenge.protocolVersion() != Protocol.VERSION) {
      LOG.warn("{} {} speaks protocol version {}, we speak {}; closing", node().tag(), connection,
          challenge.protocolVersion(), Protocol.VERSION);
      connection.close(CloseReason.VERSION_MISMATCH, "this device speaks protocol version " + Protocol.VERSION);
      return;
    }
    theirNonce = challenge.nonce();
    state = State.AWAIT_PROOF;
    if (connection.role == Role.DIALER) {
      ctx.writeAndFlush(new AuthProof(proof(Role.DIALER)));
    }
  }

  private void onProof(ChannelHandlerContext ctx, AuthProof proof) {
    Role them = connection.role.other();
    if (!AuthProofs.matches(proof(them), proof.proof())) {
      failed();
      return;
    }
    if (connection.role == Role.LISTENER) {
      node().failures.recordSuccess(remoteAddress());
      ctx.writeAndFlush(new AuthProof(proof(Role.LISTENER)));
    }
    state = State.DONE;
    LOG.debug("{} authenticated {} as {}", node().tag(), connection, claimed);
    onAuthenticated.accept(ctx, claimed);
  }

  private void failed() {
    if (connection.role == Role.LISTENER) {
      InetAddress from = remoteAddress();
      int count = node().failures.recordFailure(from);
      LOG.warn("{} authentication failed for the connection from {}: its proof does not match (another secret, or a "
          + "man in the middle); {} failure(s) from this address recently, its next attempts wait {} ms",
          node().tag(), connection, count, node().failures.penalty(from).toMillis());
    } else {
      LOG.warn("{} authentication failed: {} answered with a proof that does not match (another secret, or a man "
          + "in the middle)", node().tag(), connection);
    }
    connection.close(CloseReason.AUTH_FAILED, "authentication proof does not match");
  }

  private void onClose(Close close) {
    if (close.reason() == CloseReason.AUTH_FAILED) {
      LOG.warn("{} authentication failed: {} rejected our proof (another secret, or a man in the middle): {}",
          node().tag(), connection, close.detail());
    } else {
      LOG.info("{} {} closed the connection during authentication: {} {}", node().tag(), connection,
          close.reason(), close.detail());
    }
    connection.peerClosed(close);
  }

  /** The proof {@code prover} must send on this connection, as this end sees the session. */
  private byte[] proof(Role prover) {
    boolean dialer = connection.role == Role.DIALER;
    return AuthProofs.compute(node().key, prover,
        dialer ? myNonce : theirNonce, dialer ? theirNonce : myNonce,
        dialer ? myCertHash : theirCertHash, dialer ? theirCertHash : myCertHash);
  }

  private InetAddress remoteAddress() {
    return connection.channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  private Node node() {
    return connection.node;
  }
}
