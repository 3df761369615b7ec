package dev.jsync.net.internal;

import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns each frame payload into a validated {@link dev.jsync.protocol.Message}
 * ({@link MessageCodec}); a payload that is not one fails with a {@link ProtocolException}
 * (wrapped by Netty in a {@code DecoderException}). The payload buffer is released by the base
 * class. Stateless; sharable.
 */
@ChannelHandler.Sharable
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

  MessageDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) throws ProtocolException {
    out.add(MessageCodec.decode(payload.nioBuffer()));
  }
}
