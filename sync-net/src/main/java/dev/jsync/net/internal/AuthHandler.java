package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
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
 * The shared-secret handshake, run right after TLS: EC J-PAKE bound to both certificates, then
 * key confirmation, listener first (docs/protocol.md, "Authentication"):
 *
 * <pre>
 *   dialer (D)                                      listener (L)
 *   AuthChallenge(v2, nonce_D, round1_D)  ------->
 *                                         <-------  AuthChallenge(v2, nonce_L, round1_L)
 *   AuthProof(round2_D)                   ------->             (each after checking round 1)
 *                                         <-------  AuthProof(round2_L)
 *                                         <-------  AuthProof(confirm_L)   (L has both rounds 2)
 *   checks confirm_L; only if it matches:
 *   AuthProof(confirm_D)                  ------->  checks confirm_D
 * </pre>
 *
 * Rounds 1 and 2 reveal nothing against which a guess of the secret can be tested offline; a key
 * confirmation lets its receiver test exactly the one guess it committed to in its round 2. The
 * dialer, which may have reached the wrong machine (a stale address, a spoofed name), sends its
 * confirmation only to a listener that has proved the secret; a listener counts a dialer that
 * leaves after receiving the listener's confirmation as a failed guess. Anything else before the
 * end of this exchange, or a proof that does not verify, closes the connection. On success the
 * handler hands over to the hello phase through {@code onAuthenticated}.
 *
 * <p>One per channel; event-loop confined.
 */
final class AuthHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);

  private enum State { AWAIT_TLS, AWAIT_CHALLENGE, AWAIT_ROUND2, AWAIT_CONFIRMATION, DONE, FAILED }

  private final Connection connection;
  private final SessionCertificates.Source certificates;
  private final BiConsumer<ChannelHandlerContext, DeviceId> onAuthenticated;
  private State state = State.AWAIT_TLS;
  private PakeSession pake;
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
        LOG.debug("{} TLS handshake with {} failed: {}", node().tag(), connection, done.cause().toString());
        connection.abort(DisconnectReason.PROTOCOL_ERROR, "TLS handshake failed (not a jSync device?): "
            + done.cause().getMessage());
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
      byte[] myCertHash = DeviceId.fromCertificate(certs.local()).toBytes();
      pake = new PakeSession(connection.role, node().key, myCertHash, claimed.toBytes(), node().random);
      state = State.AWAIT_CHALLENGE;
      ctx.writeAndFlush(new AuthChallenge(Protocol.VERSION, pake.nonce(), pake.round1()));
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message m)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (state == State.FAILED) {
      return; // already closing; whatever the peer still says changes nothing
    }
    if (m instanceof Close close) {
      onClose(close);
    } else if (state == State.AWAIT_CHALLENGE && m instanceof AuthChallenge challenge) {
      onChallenge(ctx, challenge);
    } else if (state == State.AWAIT_ROUND2 && m instanceof AuthProof p && p.step() == AuthProof.Step.PAKE_ROUND2) {
      onRound2(ctx, p.value());
    } else if (state == State.AWAIT_CONFIRMATION && m instanceof AuthProof p
        && p.step() == AuthProof.Step.KEY_CONFIRMATION) {
      onConfirmation(ctx, p.value());
    } else {
      String kind = m instanceof AuthProof p ? "AuthProof(" + p.step() + ")" : m.getClass().getSimpleName();
      LOG.warn("{} {} sent {} before authentication finished; closing", node().tag(), connection, kind);
      if (connection.role == Role.LISTENER && state == State.AWAIT_CONFIRMATION) {
        countFailedGuess("it sent " + kind + " instead of its key confirmation");
      }
      state = State.FAILED;
      connection.close(CloseReason.PROTOCOL_ERROR, "unexpected " + kind + " before authentication");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connection.role == Role.LISTENER && state == State.AWAIT_CONFIRMATION) {
      // The dialer received our confirmation, which tests its one guess, and left without its own.
      countFailedGuess("it left after our key confirmation without sending its own");
      state = State.FAILED;
    }
    super.channelInactive(ctx);
  }

  private void onChallenge(ChannelHandlerContext ctx, AuthChallenge challenge) {
    int theirs = challenge.protocolVersion();
    if (theirs != Protocol.VERSION) {
      String upgrade = theirs < Protocol.VERSION ? "upgrade jSync on that device" : "upgrade jSync on this device";
      LOG.debug("{} {} speaks protocol {}, this node speaks protocol {}: {}; closing", node().tag(), connection,
          theirs, Protocol.VERSION, upgrade);
      connection.failing(DisconnectReason.OTHER_VERSION, "it speaks protocol version " + theirs + ", this device "
          + Protocol.VERSION + ": " + upgrade);
      state = State.FAILED;
      connection.close(CloseReason.VERSION_MISMATCH, "peer speaks protocol " + theirs + ", this node "
          + Protocol.VERSION + ": upgrade " + (theirs < Protocol.VERSION ? "the peer" : "this node"));
      return;
    }
    try {
      pake.acceptRound1(challenge.nonce(), challenge.pakeRound1());
    } catch (PakeSession.Failure e) {
      failed(e.getMessage() + " (a man in the middle, or not a jSync peer)", e);
      return;
    }
    state = State.AWAIT_ROUND2;
    ctx.writeAndFlush(AuthProof.round2(pake.round2()));
  }

  private void onRound2(ChannelHandlerContext ctx, byte[] round2) {
    try {
      pake.acceptRound2(round2);
    } catch (PakeSession.Failure e) {
      failed(e.getMessage() + " (a man in the middle, or not a jSync peer)", e);
      return;
    }
    state = State.AWAIT_CONFIRMATION;
    if (connection.role == Role.LISTENER) {
      ctx.writeAndFlush(AuthProof.confirmation(pake.myConfirmation()));
    }
  }

  private void onConfirmation(ChannelHandlerContext ctx, byte[] confirmation) {
    if (!pake.peerConfirms(confirmation)) {
      failed("its key confirmation does not match (another secret, or a man in the middle)", null);
      return;
    }
    if (connection.role == Role.DIALER) {
      ctx.writeAndFlush(AuthProof.confirmation(pake.myConfirmation()));
    } else {
      node().failures.recordSuccess(remoteAddress());
    }
    state = State.DONE;
    LOG.debug("{} authenticated {} as {}", node().tag(), connection, claimed);
    onAuthenticated.accept(ctx, claimed);
  }

  private void failed(String why, Throwable cause) {
    state = State.FAILED;
    if (cause != null && cause.getCause() != null) {
      LOG.debug("{} authentication detail for {}", node().tag(), connection, cause.getCause());
    }
    if (connection.role == Role.LISTENER) {
      countFailedGuess(why);
    } else {
      LOG.debug("{} authentication failed: {} is not a peer that knows the secret: {}", node().tag(), connection, why);
      connection.failing(DisconnectReason.AUTHENTICATION_FAILED, why);
    }
    connection.close(CloseReason.AUTH_FAILED, "authentication failed");
  }

  private void onClose(Close close) {
    if (connection.role == Role.LISTENER && state == State.AWAIT_CONFIRMATION) {
      // The dialer had our confirmation, which tests its one guess: a failed guess, however it leaves.
      countFailedGuess("it closed after our key confirmation (" + close.reason() + ": " + close.detail()
          + "): another secret, or a man in the middle");
    } else if (close.reason() == CloseReason.AUTH_FAILED) {
      LOG.debug("{} authentication failed: {} rejected our proof (another secret, or a man in the middle): {}",
          node().tag(), connection, close.detail());
      connection.failing(DisconnectReason.AUTHENTICATION_FAILED,
          "it rejected our proof: another secret, or a man in the middle");
    } else if (close.reason() == CloseReason.VERSION_MISMATCH) {
      LOG.debug("{} {} refused our protocol version {}: {}", node().tag(), connection, Protocol.VERSION, close.detail());
      connection.failing(DisconnectReason.OTHER_VERSION, close.detail());
    } else {
      LOG.debug("{} {} closed the connection during authentication: {} {}", node().tag(), connection,
          close.reason(), close.detail());
    }
    state = State.FAILED;
    connection.peerClosed(close);
  }

  private void countFailedGuess(String why) {
    InetAddress from = remoteAddress();
    int count = node().failures.recordFailure(from);
    connection.failing(DisconnectReason.AUTHENTICATION_FAILED, why + "; " + count
        + " failure(s) from this address recently, its next attempts wait " + node().failures.penalty(from).toMillis()
        + " ms");
    LOG.debug("{} authentication failed for the connection from {}: {}; {} failure(s) from this address recently, "
        + "its next attempts wait {} ms", node().tag(), connection, why, count, node().failures.penalty(from).toMillis());
  }

  private InetAddress remoteAddress() {
    return connection.channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  private Node node() {
    return connection.node;
  }
}
