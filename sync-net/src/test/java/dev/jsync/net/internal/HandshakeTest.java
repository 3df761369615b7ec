package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.Hello;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.AuthChallenge;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secret handshake and hellos on in-memory channels. */
class HandshakeTest {

  static final byte[] KEY = key(1);
  static final byte[] OTHER_KEY = key(2);

  static byte[] key(int seed) {
    byte[] k = new byte[32];
    k[0] = (byte) seed;
    return k;
  }

  @Test
  void sameKeyAuthenticatesBothWaysAndExchangesHellos() {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone().shuttle()) {
      assertThat(p.dialerEvents.connected).hasSize(1);
      assertThat(p.listenerEvents.connected).hasSize(1);
      assertThat(p.dialerEvents.connected.get(0).peer()).isEqualTo(p.listenerNode.identity.id());
      assertThat(p.listenerEvents.connected.get(0).peer()).isEqualTo(p.dialerNode.identity.id());
      assertThat(p.dialerEvents.hellos.get(0).deviceName()).isEqualTo("listener");
      assertThat(p.dialer.pipeline().names()).contains("link", "keepalive", "idle").doesNotContain("auth", "hello");
    }
  }

  @Test
  void otherKeyIsRejectedByTheListenerBeforeItRevealsAProof() {
    List<Message> seenByDialer = new ArrayList<>();
    try (EmbeddedPeers p = new EmbeddedPeers(OTHER_KEY, KEY, NetLimits.defaults())) {
      EmbeddedPeers.tap(p.dialer, recorder(seenByDialer));
      p.tlsDone().shuttle();
      assertThat(p.dialerEvents.connected).isEmpty();
      assertThat(p.listenerEvents.connected).isEmpty();
      assertThat(p.dialer.isOpen()).isFalse();
      assertThat(p.listener.isOpen()).isFalse();
      // The dialer got the listener's challenge and a refusal, never the listener's proof.
      assertThat(seenByDialer).hasSize(2);
      assertThat(seenByDialer.get(0)).isInstanceOf(AuthChallenge.class);
      assertThat(((Close) seenByDialer.get(1)).reason()).isEqualTo(CloseReason.AUTH_FAILED);
    }
  }

  @Test
  void proofsBoundToOtherCertificatesFail() {
    // A man in the middle: each real end sees the middle's certificate instead of the other end's.
    byte[] a = EmbeddedPeers.identity(true).certificateDer();
    byte[] b = EmbeddedPeers.identity(false).certificateDer();
    byte[] m = "not a certificate either end has".getBytes();
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults(),
        new SessionCertificates(a, m), new SessionCertificates(m, b)).tlsDone().shuttle()) {
      assertThat(p.dialerEvents.connected).isEmpty();
      assertThat(p.listenerEvents.connected).isEmpty();
      assertThat(p.listener.isOpen()).isFalse();
    }
  }

  @Test
  void anythingButTheHandshakeBeforeAuthenticationClosesTheConnection() {
    for (Message early : List.of(Ping.INSTANCE,
        new HelloMessage(EmbeddedPeers.identity(true).id(), 1, new Hello("x", 1, 1, IndexPosition.NONE)))) {
      try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
        List<Message> answers = new ArrayList<>();
        EmbeddedChannel listener = p.listener;
        listener.writeInbound(frame(early));
        answers.addAll(decodeAll(listener));
        assertThat(listener.isOpen()).as("after %s", early).isFalse();
        // Refused by the decoder, before parsing (PreAuthLimitsTest has the details).
        assertThat(answers).last().satisfies(m -> {
          assertThat(((Close) m).reason()).isEqualTo(CloseReason.PROTOCOL_ERROR);
          assertThat(((Close) m).detail()).endsWith("before authentication");
        });
        assertThat(p.listenerEvents.connected).isEmpty();
      }
    }
  }

  @Test
  void anotherProtocolVersionIsTurnedAway() {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
      p.listener.writeInbound(frame(new AuthChallenge(Protocol.VERSION + 1, new byte[32])));
      assertThat(decodeAll(p.listener)).last().extracting(m -> ((Close) m).reason()).isEqualTo(CloseReason.VERSION_MISMATCH);
      assertThat(p.listener.isOpen()).isFalse();
    }
  }

  static ByteBuf frame(Message m) {
    return Unpooled.wrappedBuffer(FrameFormat.frame(MessageCodec.encode(m), Protocol.DEFAULT_MAX_FRAME_BYTES));
  }

  /** Every message a channel wrote, decoded (its outbound buffers are released). */
  static List<Message> decodeAll(EmbeddedChannel ch) {
    List<Message> out = new ArrayList<>();
    EmbeddedChannel reader = new EmbeddedChannel(new VarintFrameDecoder(Protocol.DEFAULT_MAX_FRAME_BYTES),
        new MessageDecoder());
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      reader.writeInbound(o);
    }
    for (Object m = reader.readInbound(); m != null; m = reader.readInbound()) {
      out.add((Message) m);
    }
    reader.finishAndReleaseAll();
    return out;
  }

  static ChannelInboundHandlerAdapter recorder(List<Message> into) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        into.add((Message) msg);
        ctx.fireChannelRead(msg);
      }
    };
  }
}
