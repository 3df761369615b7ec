package dev.jsync.net.internal;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the decrypted byte stream into frame payloads ({@link FrameFormat}: varint32 length,
 * then the payload), each passed on as a retained slice. The prefix is checked against the
 * maximum frame size as soon as its first bytes arrive, so an oversize frame is refused before
 * its bytes are accumulated. After the first error the stream has no trustworthy boundaries:
 * everything else is dropped while the connection closes.
 *
 * <p>On a new connection the limit is {@link Protocol#MAX_HANDSHAKE_FRAME_BYTES} until
 * {@link #authenticated()} raises it to the configured maximum ({@link #forHandshake}): a
 * stranger cannot make the node buffer more than that before proving it knows the secret.
 *
 * <p>One instance per channel (not sharable); event-loop confined.
 */
final class VarintFrameDecoder extends ByteToMessageDecoder {

  private final int maxFrameBytes;
  private int limit;
  private boolean failed;

  /** A decoder that accepts frames up to {@code maxFrameBytes} from the start. */
  VarintFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
    this.limit = maxFrameBytes;
  }

  /** A decoder for a new connection: handshake-sized frames until {@link #authenticated()}. */
  static VarintFrameDecoder forHandshake(int maxFrameBytes) {
    VarintFrameDecoder d = new VarintFrameDecoder(maxFrameBytes);
    d.limit = Math.min(Protocol.MAX_HANDSHAKE_FRAME_BYTES, maxFrameBytes);
    return d;
  }

  /** The peer proved it knows the secret: frames up to the configured maximum from now on. */
  void authenticated() {
    limit = maxFrameBytes;
  }

  /** The largest frame accepted now. */
  int limit() {
    return limit;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws ProtocolException {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    FrameFormat.Header header;
    try {
      header = FrameFormat.readHeader(i -> in.getUnsignedByte(start + i), in.readableBytes(), limit);
    } catch (ProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    if (header == null || in.readableBytes() < header.prefixBytes() + header.payloadBytes()) {
      return;
    }
    in.skipBytes(header.prefixBytes());
    out.add(in.readRetainedSlice(header.payloadBytes()));
  }
}
