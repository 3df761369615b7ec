package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a stranger who completed TLS (any certificate) can make a node do before it proves it
 * knows the secret: send frames of at most {@link Protocol#MAX_HANDSHAKE_FRAME_BYTES} bytes, and
 * only the handshake's messages; anything else is refused before it is parsed.
 */
class PreAuthLimitsTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * The payload of an index update holding nothing but {@code n} empty inline blocks (2 bytes
   * each on the wire): the frame that took a node to OutOfMemoryError.
   */
  static byte[] emptyInlineBlocks(int payloadBytes) {
    int n = (payloadBytes - 5) / 2;
    byte[] prefix = FrameFormat.prefix(2 * n);
    byte[] out = new byte[1 + prefix.length + 2 * n];
    out[0] = (byte) ((4 << 3) | 2); // Envelope.index_update
    System.arraycopy(prefix, 0, out, 1, prefix.length);
    for (int i = 1 + prefix.length; i < out.length; i += 2) {
      out[i] = (byte) ((5 << 3) | 2); // IndexUpdate.inline, length 0
    }
    return out;
  }

  @Test
  void aStrangersFullSizeFrameIsRefusedFromItsLengthPrefix() {
    byte[] payload = emptyInlineBlocks(Protocol.DEFAULT_MAX_FRAME_BYTES);
    byte[] frame = FrameFormat.frame(payload, Protocol.DEFAULT_MAX_FRAME_BYTES);
    try (EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, NetLimits.defaults()).tlsDone()) {
      EmbeddedChannel listener = p.listener;
      HandshakeTest.decodeAll(listener); // its challenge
      long before = THREADS.getCurrentThreadAllocatedBytes();
      int at = 0;
      while (at < frame.length && listener.isOpen()) {
        int n = Math.min(16 * 1024, frame.length - at);
        listener.writeInbound(Unpooled.wrappedBuffer(frame, at, n));
        at += n;
      }
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(at).as("bytes taken before the connection closed").isLessThanOrEqualTo(16 * 1024);
      assertThat(listener.isOpen()).isFalse();
      assertThat(allocated).as("heap allocated reading the frame").isLessThan(1 << 20);
      List<Message> answers = HandshakeTest.decodeAll(listener);
      assertThat(answers).last().satisfies(m -> {
        assertThat(((Close) m).reason()).isEqualTo(CloseReason.PROTOCOL_ERROR);
        assertThat(((Close) m).detail()).contains("exceeds the maximum of " + Protocol.MAX_HANDSHAKE_FRAME_BYTES);
      });
      assertThat(p.listenerEvents.connected).isEmpty();
    }
  }

  @Test
  void aSmallFrameHoldingAnythingButTheHandshakeIsRefusedUnparsed() {
    byte[] payload = emptyInlineBlocks(Protocol.MAX_HANDSHAKE_FRAME_BYTES);
    try (EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, NetLimits.defaults()).tlsDone()) {
      p.listener.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(payload, Protocol.DEFAULT_MAX_FRAME_BYTES)));
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(HandshakeTest.decodeAll(p.listener)).last()
          .isEqualTo(new Close(CloseReason.PROTOCOL_ERROR, "index_update before authentication"));
    }
  }

  @Test
  void authenticationRaisesTheLimitToTheConfiguredMaximum() {
    try (EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, NetLimits.defaults())) {
      assertThat(p.listener.pipeline().get(VarintFrameDecoder.class).limit()).isEqualTo(Protocol.MAX_HANDSHAKE_FRAME_BYTES);
      p.tlsDone().shuttle();
      assertThat(p.listenerEvents.connected).hasSize(1);
      assertThat(p.listener.pipeline().get(VarintFrameDecoder.class).limit()).isEqualTo(Protocol.DEFAULT_MAX_FRAME_BYTES);
      // A 1 MiB inline block list now passes the frame decoder and reaches the engine.
      byte[] data = new byte[Protocol.MAX_BLOCK_BYTES];
      List<dev.jsync.core.transport.InlineBlock> inline = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        inline.add(new dev.jsync.core.transport.InlineBlock(dev.jsync.core.Sha256.of(new byte[] {(byte) i}), data));
      }
      p.listener.writeInbound(HandshakeTest.frame(new IndexMessage(new IndexUpdate(1, 0, 0, List.of(), inline))));
      assertThat(p.listener.isOpen()).isTrue();
      assertThat(p.listenerEvents.indexes).hasSize(1);
    }
  }

  @Test
  void strangersSendingGarbageCannotFloodTheLog() {
    // 200 connections that each send an oversize frame before authenticating: each is closed,
    // and the log gets a line at the 1st, 2nd, 4th... (8 lines), not one per connection.
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ErrorHandler.class);
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> capture =
        new ch.qos.logback.core.AppenderBase<>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO)) {
              lines.add(e.getFormattedMessage());
            }
          }
        };
    capture.start();
    logger.addAppender(capture);
    try {
      Node node = EmbeddedPeers.node("listener", EmbeddedPeers.identity(false), HandshakeTest.KEY,
          NetLimits.defaults(), new SpyHandler("listener"));
      SessionCertificates certs = new SessionCertificates(EmbeddedPeers.identity(false).certificateDer(),
          EmbeddedPeers.identity(true).certificateDer());
      for (int i = 0; i < 200; i++) {
        EmbeddedChannel ch = EmbeddedPeers.channel(node, Role.LISTENER, certs);
        ch.pipeline().fireUserEventTriggered(io.netty.handler.ssl.SslHandshakeCompletionEvent.SUCCESS);
        ch.writeInbound(Unpooled.wrappedBuffer(FrameFormat.prefix(Protocol.DEFAULT_MAX_FRAME_BYTES)));
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
      }
    } finally {
      logger.detachAppender(capture);
    }
    assertThat(lines).hasSize(8).allMatch(l -> l.contains("before authentication"));
  }
}
