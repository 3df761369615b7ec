package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The Netty decoders under random and damaged input: nothing escapes but protocol errors, every
 * buffer is released (paranoid leak detection is on), and no frame over the limit is ever built.
 */
class FrameDecoderProperties {

  private static final int MAX = 2048;

  @Property(tries = 500)
  void randomAndDamagedStreamsFailCleanly(@ForAll @Size(max = 6) List<@Size(max = 300) byte[]> payloads,
      @ForAll @Size(max = 200) byte[] noise, @ForAll long seed) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    payloads.forEach(p -> stream.writeBytes(FrameFormat.frame(p, MAX)));
    SplittableRandom r = new SplittableRandom(seed);
    byte[] bytes = stream.toByteArray();
    if (r.nextBoolean()) {
      bytes = HandshakeProperties.mutate(bytes, seed);
    }
    if (r.nextInt(4) == 0) {
      bytes = noise;
    }
    List<Throwable> errors = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(MAX), new MessageDecoder(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
          }
        });
    ch.pipeline().addBefore(ch.pipeline().context(MessageDecoder.class).name(), "sizes",
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            sizes.add(((ByteBuf) msg).readableBytes());
            ctx.fireChannelRead(msg);
          }
        });
    int at = 0;
    while (at < bytes.length) {
      int n = 1 + r.nextInt(Math.min(64, bytes.length - at));
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
      at += n;
    }
    for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
      assertThat(m).isInstanceOf(dev.jsync.protocol.Message.class);
    }
    assertThat(sizes).allMatch(s -> s <= MAX);
    for (Throwable t : errors) {
      assertThat(t.getCause()).isInstanceOf(ProtocolException.class);
    }
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }
}
