package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.Hello;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.HelloMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hello phase, after authentication: registers the connection (one per peer survives,
 * {@link ConnectionRegistry}), sends this device's {@link HelloMessage} built from the engine's
 * {@code helloFor}, waits for the peer's, then brings the link up: keep-alive in, this handler
 * replaced by the {@link LinkHandler}, and the engine told through {@code connected}.
 *
 * <p>One per channel; event-loop confined.
 */
final class HelloHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(HelloHandler.class);

  private final Connection connection;
  private ChannelHandlerContext ctx;
  private boolean sent;
  private HelloMessage theirs;

  private HelloHandler(Connection connection) {
    this.connection = connection;
  }

  /** Called by {@link AuthHandler} on success: takes its place in the pipeline. */
  static void afterAuthentication(ChannelHandlerContext authCtx, Connection connection, DeviceId peer) {
    Node node = connection.node;
    // From here on the peer may send frames of the configured size and any message.
    MessageDecoder.authenticated(authCtx.pipeline());
    connection.authenticated(peer);
    if (peer.equals(node.identity.id())) {
      LOG.warn("{} {} is this device itself; closing", node.tag(), connection);
      connection.close(CloseReason.DUPLICATE_CONNECTION, "connected to itself");
      return;
    }
    HelloHandler hello = new HelloHandler(connection);
    authCtx.pipeline().replace(authCtx.name(), "hello", hello);
    Connection loser = node.registry.register(connection);
    if (loser == connection) {
      LOG.debug("{} already linked to {} by a preferred connection; closing {}", node.tag(), peer.shortId(), connection);
      connection.close(CloseReason.DUPLICATE_CONNECTION, "another connection between us is preferred");
    } else if (loser != null) {
      LOG.debug("{} {} replaces {}", node.tag(), connection, loser);
      loser.close(CloseReason.DUPLICATE_CONNECTION, "replaced by a preferred connection");
      // Say hello only once the old link is down and reported, so the engine never sees two.
      loser.channel.closeFuture().addListener(f -> connection.channel.eventLoop().execute(hello::sendHello));
    } else {
      hello.sendHello();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  private void sendHello() {
    if (!connection.channel.isActive() || sent) {
      return;
    }
    Hello mine;
    try {
      mine = connection.node.handler.helloFor(connection.peer());
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed to build a hello for {}", connection.node.tag(), connection, e);
      connection.close(CloseReason.SHUTDOWN, "internal error");
      return;
    }
    sent = true;
    ctx.writeAndFlush(new HelloMessage(connection.node.identity.id(), Protocol.VERSION, mine));
    maybeUp();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (!(msg instanceof Message m)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Node node = connection.node;
    if (m instanceof Close close) {
      LOG.debug("{} {} closed the connection before the link was up: {} {}", node.tag(), connection,
          close.reason(), close.detail());
      connection.peerClosed(close);
    } else if (m instanceof HelloMessage hello && theirs == null) {
      if (!hello.device().equals(connection.peer())) {
        LOG.warn("{} {} claims to be {} in its hello; closing", node.tag(), connection, hello.device());
        connection.close(CloseReason.PROTOCOL_ERROR, "hello names another device than the certificate");
      } else if (hello.protocolVersion() != Protocol.VERSION) {
        connection.close(CloseReason.VERSION_MISMATCH, "this device speaks protocol version " + Protocol.VERSION);
      } else {
        theirs = hello;
        maybeUp();
      }
    } else {
      String kind = m.getClass().getSimpleName();
      LOG.warn("{} {} sent {} before the hellos were exchanged; closing", node.tag(), connection, kind);
      connection.close(CloseReason.PROTOCOL_ERROR, "unexpected " + kind + " before hello");
    }
  }

  private void maybeUp() {
    if (!sent || theirs == null || !connection.channel.isActive()) {
      return;
    }
    Node node = connection.node;
    NettyPeerLink link = new NettyPeerLink(connection);
    connection.linkUp(link);
    String name = ctx.name();
    ctx.pipeline().addBefore(name, "idle", new IdleStateHandler(node.limits.idleTimeout().toMillis(),
        node.limits.pingInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
    ctx.pipeline().addBefore(name, "keepalive", new KeepAliveHandler(connection, node.limits.idleTimeout()));
    ctx.pipeline().replace(name, "link", new LinkHandler(connection, link));
    LOG.debug("{} link up with {} ({})", node.tag(), connection, theirs.hello().deviceName());
    try {
      node.handler.connected(link, theirs.hello());
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on connect of {}", node.tag(), connection, e);
      connection.close(CloseReason.SHUTDOWN, "internal error");
    }
  }
}
