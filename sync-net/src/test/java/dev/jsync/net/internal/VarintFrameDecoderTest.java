package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** The Netty frame decoder on an EmbeddedChannel: fragments, oversize, garbage. */
class VarintFrameDecoderTest {

  private static final int MAX = 4096;

  @Test
  void assemblesAFrameFedOneByteAtATime() {
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(MAX));
    byte[] payload = new byte[300];
    payload[299] = 7;
    byte[] frame = FrameFormat.frame(payload, MAX);
    for (int i = 0; i < frame.length; i++) {
      ch.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
      if (i < frame.length - 1) {
        assertThat(ch.<Object>readInbound()).isNull();
      }
    }
    ByteBuf out = ch.readInbound();
    assertThat(ByteBufUtil.getBytes(out)).isEqualTo(payload);
    out.release();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void splitsSeveralFramesArrivingTogether() {
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(MAX));
    ch.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(new byte[] {1}, MAX), FrameFormat.frame(new byte[0], MAX),
        FrameFormat.frame(new byte[] {2, 3}, MAX)));
    for (byte[] expected : new byte[][] {{1}, {}, {2, 3}}) {
      ByteBuf out = ch.readInbound();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected);
      out.release();
    }
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void refusesAnOversizeFrameFromItsFirstBytesAndDropsTheRest() {
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(MAX));
    // 0xff 0xff: at least 16383 bytes announced; nothing of the payload needs to arrive.
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff})))
        .isInstanceOf(DecoderException.class).hasCauseInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds the maximum");
    // The stream has lost its framing: later bytes, even a valid frame, are dropped, not buffered.
    ch.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(new byte[] {1}, MAX)));
    assertThat(ch.<Object>readInbound()).isNull();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void refusesMalformedPrefixes() {
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(FrameFormat.LARGEST_MAX_FRAME_BYTES));
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x00})))
        .hasCauseInstanceOf(ProtocolException.class).hasMessageContaining("shortest");
    ch.finishAndReleaseAll();
  }

  @Test
  void decodesMessagesThroughTheWholeCodec() {
    EmbeddedChannel out = new EmbeddedChannel(new VarintFramePrepender(MAX), new MessageEncoder());
    EmbeddedChannel in = new EmbeddedChannel(new VarintFrameDecoder(MAX), new MessageDecoder());
    out.writeOutbound(dev.jsync.protocol.Ping.INSTANCE);
    for (Object o = out.readOutbound(); o != null; o = out.readOutbound()) {
      in.writeInbound(o);
    }
    assertThat(in.<Object>readInbound()).isEqualTo(dev.jsync.protocol.Ping.INSTANCE);
    assertThat(out.finishAndReleaseAll()).isFalse();
    assertThat(in.finishAndReleaseAll()).isFalse();
  }

  @Test
  void garbagePayloadIsAProtocolError() {
    EmbeddedChannel in = new EmbeddedChannel(new VarintFrameDecoder(MAX), new MessageDecoder());
    assertThatThrownBy(() -> in.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(new byte[] {(byte) 0xff, 1, 2}, MAX))))
        .hasCauseInstanceOf(ProtocolException.class);
    assertThat(in.finishAndReleaseAll()).isFalse();
  }
}
