package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.Hello;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.AuthChallenge;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.HelloMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.Ping;
import dev.jsync.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Nobody without the key, and nothing altered in transit, gets through the handshake. */
class HandshakeProperties {

  private static final byte[] KEY = HandshakeTest.KEY;

  // Each try runs a full J-PAKE exchange (about 10-20 ms of elliptic-curve work), hence fewer tries.
  @Property(tries = 80)
  void tamperingWithAnyAuthenticationMessageFailsBothSides(@ForAll boolean atListener,
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll @IntRange(min = 0, max = 255) int bit) {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults())) {
      EmbeddedPeers.tap(atListener ? p.listener : p.dialer, new FlipBit(which, bit));
      p.tlsDone().shuttle();
      assertThat(p.dialerEvents.connected).isEmpty();
      assertThat(p.listenerEvents.connected).isEmpty();
    }
  }

  @Property(tries = 150)
  void strangersSendingAnythingNeverAuthenticate(@ForAll boolean asListener,
      @ForAll @Size(max = 8) List<@net.jqwik.api.From("frames") byte[]> frames, @ForAll long chunking) {
    Node node = EmbeddedPeers.node("victim", EmbeddedPeers.identity(!asListener), KEY, NetLimits.defaults(),
        new SpyHandler("victim"));
    SpyHandler events = (SpyHandler) node.handler;
    EmbeddedChannel victim = EmbeddedPeers.channel(node, asListener ? Role.LISTENER : Role.DIALER,
        new SessionCertificates(node.identity.certificateDer(), EmbeddedPeers.identity(asListener).certificateDer()));
    victim.pipeline().fireUserEventTriggered(io.netty.handler.ssl.SslHandshakeCompletionEvent.SUCCESS);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    frames.forEach(stream::writeBytes);
    feedInChunks(victim, stream.toByteArray(), chunking);
    assertThat(events.connected).isEmpty();
    assertThat(!victim.isOpen() || victim.pipeline().get("auth") != null).isTrue();
    victim.finishAndReleaseAll();
  }

  @Property(tries = 50)
  void replayedHandshakesNeverAuthenticate(@ForAll long mutationSeed, @ForAll boolean mutate, @ForAll long chunking) {
    // Record what a genuine dialer sends in a successful handshake...
    ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    try (EmbeddedPeers original = new EmbeddedPeers(KEY, KEY, NetLimits.defaults())) {
      EmbeddedPeers.tap(original.listener, recorder(recorded));
      original.tlsDone().shuttle();
      assertThat(original.listenerEvents.connected).hasSize(1);
    }
    // ...and play it (or a damaged copy) to a fresh listener, which picks a fresh nonce.
    byte[] replay = mutate ? mutate(recorded.toByteArray(), mutationSeed) : recorded.toByteArray();
    try (EmbeddedPeers fresh = new EmbeddedPeers(KEY, KEY, NetLimits.defaults())) {
      fresh.listener.pipeline().fireUserEventTriggered(io.netty.handler.ssl.SslHandshakeCompletionEvent.SUCCESS);
      feedInChunks(fresh.listener, replay, chunking);
      assertThat(fresh.listenerEvents.connected).isEmpty();
    }
  }

  @Provide
  Arbitrary<byte[]> frames() {
    Arbitrary<Message> messages = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(Protocol.PAKE_ROUND1_BYTES)
            .map(r -> new AuthChallenge(Protocol.VERSION, new byte[Protocol.NONCE_BYTES], r)),
        Arbitraries.just(AuthChallenge.ofOtherVersion(1)),
        Arbitraries.bytes().array(byte[].class).ofSize(Protocol.PAKE_ROUND2_BYTES).map(AuthProof::round2),
        Arbitraries.bytes().array(byte[].class).ofSize(Protocol.CONFIRMATION_BYTES).map(AuthProof::confirmation),
        Arbitraries.just(Ping.INSTANCE),
        Arbitraries.just(new Close(CloseReason.SHUTDOWN, "bye")),
        Arbitraries.just(new HelloMessage(DeviceId.fromName("x"), 1, new Hello("x", 1, 1, IndexPosition.NONE))));
    Arbitrary<byte[]> valid = messages.map(m -> FrameFormat.frame(MessageCodec.encode(m), Protocol.DEFAULT_MAX_FRAME_BYTES));
    Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> garbageFramed = garbage.map(g -> FrameFormat.frame(g, Protocol.DEFAULT_MAX_FRAME_BYTES));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, valid), net.jqwik.api.Tuple.of(2, garbageFramed), net.jqwik.api.Tuple.of(1, garbage));
  }

  private static void feedInChunks(EmbeddedChannel ch, byte[] bytes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int at = 0;
    while (at < bytes.length && ch.isOpen()) {
      int n = 1 + r.nextInt(Math.min(40, bytes.length - at));
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
      ch.runPendingTasks();
      at += n;
    }
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      ((ByteBuf) o).release();
    }
  }

  static byte[] mutate(byte[] in, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] out = in.clone();
    if (out.length == 0) {
      return out;
    }
    switch (r.nextInt(3)) {
      case 0 -> out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
      default -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
    }
    return out;
  }

  private static ChannelInboundHandlerAdapter recorder(ByteArrayOutputStream into) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message m = (Message) msg;
        into.writeBytes(FrameFormat.frame(MessageCodec.encode(m), Protocol.DEFAULT_MAX_FRAME_BYTES));
        ctx.fireChannelRead(msg);
      }
    };
  }

  /**
   * Flips one bit of what this side receives: the challenge's nonce (which = 0) or J-PAKE round 1
   * (1), the round 2 (2) or the key confirmation (3). Bit indexes wrap around the value's length.
   */
  private static final class FlipBit extends ChannelInboundHandlerAdapter {
    private final int which;
    private final int bit;

    FlipBit(int which, int bit) {
      this.which = which;
      this.bit = bit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (which == 0 && msg instanceof AuthChallenge c) {
        ctx.fireChannelRead(new AuthChallenge(c.protocolVersion(), flip(c.nonce()), c.pakeRound1()));
      } else if (which == 1 && msg instanceof AuthChallenge c) {
        ctx.fireChannelRead(new AuthChallenge(c.protocolVersion(), c.nonce(), flip(c.pakeRound1())));
      } else if (which == 2 && msg instanceof AuthProof p && p.step() == AuthProof.Step.PAKE_ROUND2) {
        ctx.fireChannelRead(AuthProof.round2(flip(p.value())));
      } else if (which == 3 && msg instanceof AuthProof p && p.step() == AuthProof.Step.KEY_CONFIRMATION) {
        ctx.fireChannelRead(AuthProof.confirmation(flip(p.value())));
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    private byte[] flip(byte[] b) {
      int at = bit % (b.length * 8);
      b[at / 8] ^= (byte) (1 << (at % 8));
      return b;
    }
  }

}
