package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
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
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The Netty decoders under random and damaged input, at the real 16 MiB frame limit: nothing
 * escapes but protocol errors, every buffer is released (paranoid leak detection is on), no frame
 * over the limit is ever built, and the heap a frame costs to decode is bounded by its size.
 */
class FrameDecoderProperties {

  private static final int MAX = Protocol.DEFAULT_MAX_FRAME_BYTES;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * Frames of empty inline blocks (the frame that once took a node to OutOfMemoryError), up to
   * the limit, damaged or not, through the authenticated pipeline's decoders: the heap allocated
   * while reading one stays within the bound sync-protocol's DecodeCostProperties holds the codec
   * to (16 bytes per byte plus 64 MiB). Before repeated fields were counted ahead of parsing, a
   * 16 MiB one allocated about 800 MB.
   */
  @Property(tries = 8, shrinking = ShrinkingMode.OFF)
  void framesOfEmptyInlineBlocksCostBoundedHeap(@ForAll @IntRange(min = 1024, max = MAX) int size,
      @ForAll long seed, @ForAll boolean damage) {
    byte[] payload = PreAuthLimitsTest.emptyInlineBlocks(size);
    if (damage) {
      payload = HandshakeProperties.mutate(payload, seed);
    }
    byte[] frame = FrameFormat.frame(java.util.Arrays.copyOf(payload, Math.min(payload.length, MAX)), MAX);
    EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(MAX), new MessageDecoder(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            assertThat(cause.getCause()).isInstanceOf(ProtocolException.class);
          }
        });
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int at = 0; at < frame.length && ch.isOpen(); at += 64 * 1024) {
      ch.writeInbound(Unpooled.wrappedBuffer(frame, at, Math.min(64 * 1024, frame.length - at)));
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("heap allocated reading a %s-byte frame", frame.length)
        .isLessThanOrEqualTo(16L * frame.length + (64L << 20));
    ch.finishAndReleaseAll();
  }

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
