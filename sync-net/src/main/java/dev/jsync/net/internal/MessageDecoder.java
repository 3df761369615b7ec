package dev.jsync.net.internal;

import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns each frame payload into a validated {@link dev.jsync.protocol.Message}
 * ({@link MessageCodec}); a payload that is not one fails with a {@link ProtocolException}
 * (wrapped by Netty in a {@code DecoderException}). The payload buffer is released by the base
 * class. Until {@link #authenticated()}, a decoder made {@link #forHandshake} accepts only the
 * handshake's messages and refuses anything else before parsing it
 * ({@link MessageCodec#decodeHandshake}).
 *
 * <p>One per channel; event-loop confined.
 */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

  private boolean authenticated;

  /** A decoder that takes every message from the start. */
  MessageDecoder() {
    super(ByteBuf.class);
    authenticated = true;
  }

  /** A decoder for a new connection: handshake messages only until {@link #authenticated()}. */
  static MessageDecoder forHandshake() {
    MessageDecoder d = new MessageDecoder();
    d.authenticated = false;
    return d;
  }

  /** The peer proved it knows the secret: every message from now on. */
  void authenticated() {
    authenticated = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) throws ProtocolException {
    out.add(authenticated ? MessageCodec.decode(payload.nioBuffer()) : MessageCodec.decodeHandshake(payload.nioBuffer()));
  }

  /**
   * Lifts the handshake limits of {@code pipeline}'s decoders, made {@link #forHandshake}: called
   * once authentication succeeded, before anything else is read.
   */
  static void authenticated(ChannelPipeline pipeline) {
    VarintFrameDecoder frames = pipeline.get(VarintFrameDecoder.class);
    MessageDecoder messages = pipeline.get(MessageDecoder.class);
    if (frames != null) {
      frames.authenticated();
    }
    if (messages != null) {
      messages.authenticated();
    }
  }
}
