package dev.jsync.net.internal;

import dev.jsync.protocol.FrameFormat;
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
 * <p>One instance per channel (not sharable); event-loop confined.
 */
final class VarintFrameDecoder extends ByteToMessageDecoder {

  private final int maxFrameBytes;
  private boolean failed;

  VarintFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
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
      header = FrameFormat.readHeader(i -> in.getUnsignedByte(start + i), in.readableBytes(), maxFrameBytes);
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
