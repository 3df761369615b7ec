package dev.jsync.net.internal;

import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.Ping;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Acts on the events of the {@code IdleStateHandler} in front of it: after a quiet spell on our
 * side, a {@link Ping} so the peer keeps hearing from us; after nothing heard from the peer for
 * the idle timeout, the connection is considered dead and closed (TCP alone may take many
 * minutes to notice a peer that vanished). Installed once the link is up: pings are not allowed
 * during the handshake. One per channel; event-loop confined.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter {

  private final Connection connection;
  private final Duration idleTimeout;

  KeepAliveHandler(Connection connection, Duration idleTimeout) {
    this.connection = connection;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(Ping.INSTANCE, ctx.voidPromise());
      } else if (e.state() == IdleState.READER_IDLE) {
        connection.close(CloseReason.IDLE_TIMEOUT, "nothing heard for " + idleTimeout.toMillis() + " ms");
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }
}
