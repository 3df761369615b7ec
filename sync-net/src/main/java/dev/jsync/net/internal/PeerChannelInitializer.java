package dev.jsync.net.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of every connection, dialed or accepted. Inbound data flows top to bottom,
 * outbound bottom to top:
 *
 * <pre>
 *   tls             SslHandler: TLS 1.3, both ends present certificates
 *   frameDecoder    bytes -> frame payloads (varint32 length; 512 bytes until authenticated)
 *   messageDecoder  payload -> validated Message (only handshake messages until authenticated)
 *   framePrepender  payload -> length prefix + payload
 *   messageEncoder  Message -> payload
 *   backpressure    stop reading while the peer is not reading what we send
 *   auth            secret handshake; replaced by "hello", then by "idle", "keepalive", "link"
 *   errors          logs whatever went wrong and closes the connection
 * </pre>
 *
 * An accepted connection first needs a slot among the handshakes in progress
 * ({@link HandshakeSlots}): without one it is closed at once, before any TLS work.
 *
 * <p>Sharable: one instance per role.
 */
final class PeerChannelInitializer extends ChannelInitializer<Channel> {

  private static final Logger LOG = LoggerFactory.getLogger(PeerChannelInitializer.class);

  /** At most this many flushes are held back while a read is in progress. */
  private static final int FLUSHES_PER_WRITE = 256;

  private final Node node;
  private final Role role;
  PeerChannelInitializer(Node node, Role role) {
    this.node = node;
    this.role = role;
  }

  @Override
  protected void initChannel(Channel ch) {
    InetAddress from = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (role == Role.LISTENER && !node.handshakes.tryAcquire(from)) {
      // Too many handshakes in progress (in all, or from this address): no TLS work for this one.
      long refused = node.handshakes.refused();
      if (Long.bitCount(refused) == 1) { // the 1st, 2nd, 4th, 8th... refusal: a flood logs little
        LOG.warn("{} refusing connections: too many not yet authenticated ({} refused so far; latest from {})",
            node.tag(), refused, from);
      }
      ch.close();
      return;
    }
    Connection connection = new Connection(node, ch, role);
    if (role == Role.LISTENER) {
      connection.holdHandshakeSlot(from);
    }
    node.channels.add(ch);
    // The dialer's engine is not told the peer's address: engines look cached sessions up by it,
    // and a resumed session carries no certificate exchange (see SessionCertificates.fromTls).
    // Every connection authenticates in full anyway, so resumption would save nothing.
    SslHandler tls = role == Role.DIALER
        ? node.tls.client.newHandler(ch.alloc())
        : node.tls.server.newHandler(ch.alloc());
    tls.setHandshakeTimeoutMillis(node.limits.handshakeTimeout().toMillis());
    int maxFrame = node.limits.maxFrameBytes();
    ChannelPipeline p = ch.pipeline();
    p.addLast("tls", tls);
    // Many small messages (block requests, their answers) are flushed one by one from other
    // threads; each flush would be a TLS record and a write(2) of its own. Consolidated, a
    // burst goes out as a few full records.
    p.addLast("flushes", new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
    // Handshake-sized frames and handshake messages only, until authentication lifts both.
    p.addLast("frameDecoder", VarintFrameDecoder.forHandshake(maxFrame));
    p.addLast("messageDecoder", MessageDecoder.forHandshake());
    p.addLast("framePrepender", new VarintFramePrepender(maxFrame));
    p.addLast("messageEncoder", new MessageEncoder());
    p.addLast("backpressure", BackpressureHandler.INSTANCE);
    p.addLast("auth", new AuthHandler(connection, SessionCertificates.fromTls(node.identity),
        (ctx, peer) -> HelloHandler.afterAuthentication(ctx, connection, peer)));
    p.addLast("errors", new ErrorHandler(connection));
    connection.startHandshakeTimer();
    if (role == Role.LISTENER) {
      delayIfRecentlyFailed(ch, from);
    }
  }

  /** An address that recently failed to authenticate waits before we even read its handshake. */
  private void delayIfRecentlyFailed(Channel ch, InetAddress from) {
    Duration penalty = node.failures.penalty(from);
    if (!penalty.isZero()) {
      ReadGate.pause(ch, ReadGate.PENALTY);
      ch.eventLoop().schedule(() -> ReadGate.resume(ch, ReadGate.PENALTY), penalty.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
