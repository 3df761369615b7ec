package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DisconnectReason;
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
  void otherKeyIsRejectedByTheDialerBeforeItSendsItsConfirmation() {
    List<Message> seenByDialer = new ArrayList<>();
    List<Message> seenByListener = new ArrayList<>();
    try (EmbeddedPeers p = new EmbeddedPeers(OTHER_KEY, KEY, NetLimits.defaults())) {
      EmbeddedPeers.tap(p.dialer, recorder(seenByDialer));
      EmbeddedPeers.tap(p.listener, recorder(seenByListener));
      p.tlsDone().shuttle();
      assertThat(p.dialerEvents.connected).isEmpty();
      assertThat(p.listenerEvents.connected).isEmpty();
      assertThat(p.dialer.isOpen()).isFalse();
      assertThat(p.listener.isOpen()).isFalse();
      // The listener confirms first; the dialer finds the confirmation wrong and refuses.
      assertThat(kinds(seenByDialer)).containsExactly("AuthChallenge", "AuthProof(PAKE_ROUND2)",
          "AuthProof(KEY_CONFIRMATION)");
      // The listener never gets the dialer's confirmation: only its rounds and a refusal.
      assertThat(kinds(seenByListener)).containsExactly("AuthChallenge", "AuthProof(PAKE_ROUND2)", "Close");
      assertThat(((Close) seenByListener.get(2)).reason()).isEqualTo(CloseReason.AUTH_FAILED);
    }
  }

  @Test
  void wrongSecretFailsOnBothEndsWhicheverEndHoldsIt() {
    for (boolean dialerWrong : new boolean[] {true, false}) {
      try (EmbeddedPeers p = new EmbeddedPeers(dialerWrong ? OTHER_KEY : KEY, dialerWrong ? KEY : OTHER_KEY,
          NetLimits.defaults()).tlsDone().shuttle()) {
        assertThat(p.dialerEvents.connected).as("dialer wrong: %s", dialerWrong).isEmpty();
        assertThat(p.listenerEvents.connected).isEmpty();
        assertThat(p.dialer.isOpen()).isFalse();
        assertThat(p.listener.isOpen()).isFalse();
        // Both ends tell their engine, which words it for people (no log line of their own).
        assertThat(p.dialerEvents.failures(DisconnectReason.AUTHENTICATION_FAILED, "key confirmation does not match"))
            .hasSize(1);
        assertThat(p.listenerEvents.failures(DisconnectReason.AUTHENTICATION_FAILED, "closed after our key confirmation",
            "failure(s) from this address recently")).hasSize(1);
        assertThat(p.dialerEvents.failures).hasSize(1);
        assertThat(p.listenerEvents.failures).hasSize(1);
      }
    }
  }

  @Test
  void largestAuthenticationFrameStaysUnder512Bytes() {
    // Every message either end says before authentication, on success and on each failure path.
    List<Message> said = new ArrayList<>();
    try (EmbeddedPeers ok = new EmbeddedPeers(KEY, KEY, NetLimits.defaults());
        EmbeddedPeers wrong = new EmbeddedPeers(OTHER_KEY, KEY, NetLimits.defaults());
        EmbeddedPeers old = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone();
        EmbeddedPeers early = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
      for (EmbeddedPeers p : List.of(ok, wrong)) {
        EmbeddedPeers.tap(p.dialer, recorder(said));
        EmbeddedPeers.tap(p.listener, recorder(said));
        p.tlsDone().shuttle();
      }
      old.listener.writeInbound(version1Challenge());
      said.addAll(decodeAll(old.listener));
      early.listener.writeInbound(frame(Ping.INSTANCE));
      said.addAll(decodeAll(early.listener));
    }
    List<Message> beforeAuth = said.stream().filter(m -> !(m instanceof HelloMessage)).toList();
    assertThat(kinds(beforeAuth)).contains("AuthChallenge", "AuthProof(PAKE_ROUND2)", "AuthProof(KEY_CONFIRMATION)",
        "Close");
    int largest = beforeAuth.stream()
        .mapToInt(m -> FrameFormat.frame(MessageCodec.encode(m), Protocol.DEFAULT_MAX_FRAME_BYTES).length)
        .max().orElseThrow();
    assertThat(largest).isLessThan(512);
    assertThat(largest).isLessThanOrEqualTo(Protocol.MAX_HANDSHAKE_FRAME_BYTES);
  }

  @Test
  void proofsBoundToOtherCertificatesFail() {
    // A man in the middle: each real end sees the middle's certificate instead of the other end's.
    byte[] a = EmbeddedPeers.identity(true).certificateDer();
    byte[] b = EmbeddedPeers.identity(false).certificateDer();
    byte[] m = "not a certificate either end has".getBytes();
    List<Message> seenByDialer = new ArrayList<>();
    List<Message> seenByListener = new ArrayList<>();
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults(),
        new SessionCertificates(a, m), new SessionCertificates(m, b))) {
      EmbeddedPeers.tap(p.dialer, recorder(seenByDialer));
      EmbeddedPeers.tap(p.listener, recorder(seenByListener));
      p.tlsDone().shuttle();
      assertThat(p.dialerEvents.connected).isEmpty();
      assertThat(p.listenerEvents.connected).isEmpty();
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(p.dialer.isOpen()).isFalse();
      // Round 1 is signed for the sender's certificate: it fails before anything secret-dependent moves.
      assertThat(seenByDialer).noneMatch(x -> x instanceof AuthProof);
      assertThat(seenByListener).noneMatch(x -> x instanceof AuthProof);
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
  void aVersion1PeerIsToldToUpgradeAndTheMismatchIsLogged() throws Exception {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
      // Exactly what a version-1 node sends first: version 1 and a 32-byte nonce.
      p.listener.writeInbound(version1Challenge());
      List<Message> answers = decodeAll(p.listener);
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(answers).last().isEqualTo(new Close(CloseReason.VERSION_MISMATCH,
          "peer speaks protocol 1, this node 3: upgrade the peer"));
      assertThat(p.listenerEvents.failures(DisconnectReason.OTHER_VERSION, "speaks protocol version 1, this device 3",
          "upgrade jSync on that device")).hasSize(1);
      // Our challenge decodes under version 1's rules (version field, 32-byte nonce), so the old
      // node reports "speaks protocol version 3" instead of failing on a malformed message.
      byte[] ours = MessageCodec.encode(answers.get(0));
      dev.jsync.protocol.v1.AuthChallenge asSeenByV1 = dev.jsync.protocol.v1.Envelope.parseFrom(ours).getAuthChallenge();
      assertThat(asSeenByV1.getProtocolVersion()).isEqualTo(3);
      assertThat(asSeenByV1.getNonce().size()).isEqualTo(32);
    }
  }

  @Test
  void aVersion2PeerThatWouldDecideMergesAsEditsIsToldToUpgrade() throws Exception {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
      // Version 2 sends the same challenge as this version with its own number; it knows no
      // merged_from, so the two would decide some merges differently (docs/protocol.md).
      p.listener.writeInbound(frame(AuthChallenge.ofOtherVersion(2)));
      List<Message> answers = decodeAll(p.listener);
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(answers).last().isEqualTo(new Close(CloseReason.VERSION_MISMATCH,
          "peer speaks protocol 2, this node 3: upgrade the peer"));
      assertThat(p.listenerEvents.failures(DisconnectReason.OTHER_VERSION, "speaks protocol version 2, this device 3",
          "upgrade jSync on that device")).hasSize(1);
    }
  }

  @Test
  void aPeerThatRefusesOurVersionIsLoggedClearly() {
    try (EmbeddedPeers p = new EmbeddedPeers(KEY, KEY, NetLimits.defaults()).tlsDone()) {
      // A version-1 node's answer to our challenge.
      p.dialer.writeInbound(frame(new Close(CloseReason.VERSION_MISMATCH, "this device speaks protocol version 1")));
      assertThat(p.dialer.isOpen()).isFalse();
      assertThat(p.dialerEvents.failures(DisconnectReason.OTHER_VERSION, "speaks protocol version 1")).hasSize(1);
    }
  }

  /** A version-1 node's first frame, built from the wire schema as version 1 wrote it. */
  static ByteBuf version1Challenge() {
    byte[] envelope = dev.jsync.protocol.v1.Envelope.newBuilder().setAuthChallenge(
        dev.jsync.protocol.v1.AuthChallenge.newBuilder().setProtocolVersion(1)
            .setNonce(com.google.protobuf.ByteString.copyFrom(new byte[32]))).build().toByteArray();
    return Unpooled.wrappedBuffer(FrameFormat.frame(envelope, Protocol.DEFAULT_MAX_FRAME_BYTES));
  }

  static List<String> kinds(List<Message> messages) {
    return messages.stream()
        .map(m -> m instanceof AuthProof p ? "AuthProof(" + p.step() + ")" : m.getClass().getSimpleName()).toList();
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
