package dev.jsync.net.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a peer while the data queued for it is above the channel's high-water mark,
 * and resumes below the low-water mark. A peer that asks for blocks faster than it reads the
 * answers is thereby slowed by TCP itself, instead of making this node buffer answers without
 * limit ({@link ReadGate#WRITE_BACKLOG}). Stateless; sharable.
 */
@ChannelHandler.Sharable
final class BackpressureHandler extends ChannelInboundHandlerAdapter {

  static final BackpressureHandler INSTANCE = new BackpressureHandler();

  private BackpressureHandler() {
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      ReadGate.resume(ctx.channel(), ReadGate.WRITE_BACKLOG);
    } else {
      ReadGate.pause(ctx.channel(), ReadGate.WRITE_BACKLOG);
    }
    ctx.fireChannelWritabilityChanged();
  }
}
