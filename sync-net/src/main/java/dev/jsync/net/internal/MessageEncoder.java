package dev.jsync.net.internal;

import dev.jsync.protocol.Message;
import dev.jsync.protocol.MessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Turns each outgoing {@link Message} into its frame payload. Stateless; sharable. */
@ChannelHandler.Sharable
final class MessageEncoder extends MessageToMessageEncoder<Message> {

  MessageEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
    out.add(Unpooled.wrappedBuffer(MessageCodec.encode(message)));
  }
}
