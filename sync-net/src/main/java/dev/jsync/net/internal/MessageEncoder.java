package dev.jsync.net.internal;

import dev.jsync.protocol.EncodedMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.MessageCodec;
import io.netty.buffer.ByteBuf;
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
    // Straight into a pooled (direct, where the platform allows) buffer of the exact size: no
    // temporary array per message, which for 128 KiB block responses is most of the garbage.
    EncodedMessage encoded = MessageCodec.prepare(message);
    ByteBuf buf = ctx.alloc().ioBuffer(encoded.size(), encoded.size());
    try {
      encoded.writeTo(buf.nioBuffer(buf.writerIndex(), encoded.size()));
      buf.writerIndex(buf.writerIndex() + encoded.size());
      out.add(buf);
      buf = null;
    } finally {
      if (buf != null) {
        buf.release();
      }
    }
  }
}
