package dev.jsync.net.internal;

import dev.jsync.protocol.FrameFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Puts the varint32 length prefix ({@link FrameFormat}) in front of each outgoing payload,
 * without copying the payload. Refuses a payload over the maximum frame size: the peer would
 * drop the connection on it. Stateless; sharable.
 */
@ChannelHandler.Sharable
final class VarintFramePrepender extends MessageToMessageEncoder<ByteBuf> {

  private final int maxFrameBytes;

  VarintFramePrepender(int maxFrameBytes) {
    super(ByteBuf.class);
    this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
    int length = payload.readableBytes();
    if (length > maxFrameBytes) {
      throw new EncoderException("frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
    }
    out.add(Unpooled.wrappedBuffer(FrameFormat.prefix(length)));
    out.add(payload.retain());
  }
}
