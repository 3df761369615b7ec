package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.v1.Envelope;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a misbehaving peer can do to an up link: each gets an answer or a closed connection, nothing more. */
class LinkContainmentTest {

  private static final Sha256 HASH = Sha256.of(new byte[] {1});

  private static EmbeddedPeers linked(NetLimits limits) {
    EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, limits).tlsDone().shuttle();
    assertThat(p.dialerEvents.connected).hasSize(1);
    assertThat(p.listenerEvents.connected).hasSize(1);
    return p;
  }

  private static List<CompletableFuture<BlockReply>> request(PeerLink link, int count, int length) {
    List<CompletableFuture<BlockReply>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(link.requestBlock(new BlockRequest(RelativePath.of("f"), (long) i * BlockInfo.SIZE, length, HASH))
          .toCompletableFuture());
    }
    return out;
  }

  @Test
  void aFloodOfRequestsIsAnsweredBusyBeyondTheServingCap() {
    try (EmbeddedPeers p = linked(NetLimits.defaults().withRequests(8L << 20, 10_000, 4))) {
      List<CompletableFuture<BlockReply>> replies = request(p.dialerEvents.connected.get(0), 20, 10);
      p.shuttle();
      assertThat(p.listenerEvents.requests).hasSize(4);
      assertThat(replies.stream().filter(CompletableFuture::isDone)).hasSize(16)
          .allMatch(f -> f.join() instanceof BlockReply.Failure failure && failure.error() == BlockError.BUSY);
      // Once the engine answers, the served slots free up.
      p.listenerEvents.replies.forEach(r -> r.accept(BlockReply.data(new byte[10])));
      p.shuttle();
      assertThat(replies).allMatch(CompletableFuture::isDone);
      assertThat(p.dialer.isOpen()).isTrue();
    }
  }

  @Test
  void requestsArePipelinedUnderTheByteBound() {
    try (EmbeddedPeers p = linked(NetLimits.defaults().withRequests(3L * BlockInfo.SIZE, 10_000, 64))) {
      List<CompletableFuture<BlockReply>> replies = request(p.dialerEvents.connected.get(0), 10, BlockInfo.SIZE);
      p.shuttle();
      assertThat(p.listenerEvents.requests).hasSize(3);
      int answered = 0;
      while (answered < 10) {
        int upTo = p.listenerEvents.replies.size();
        for (int i = answered; i < upTo; i++) {
          p.listenerEvents.replies.get(i).accept(BlockReply.data(new byte[] {(byte) i}));
        }
        answered = upTo;
        p.shuttle();
        assertThat(p.listenerEvents.requests.size() - answered).isLessThanOrEqualTo(3);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(((BlockReply.Data) replies.get(i).join()).bytes()).containsExactly((byte) i);
      }
    }
  }

  @Test
  void aResponseNobodyAskedForClosesTheConnection() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      p.dialer.writeInbound(HandshakeTest.frame(new BlockResponseMessage(999, BlockReply.data(new byte[1]))));
      assertThat(p.dialer.isOpen()).isFalse();
      assertThat(p.dialerEvents.disconnected).singleElement().asString()
          .contains("PROTOCOL_ERROR").contains("unknown request id 999");
    }
  }

  @Test
  void aHostilePathClosesTheConnectionBeforeTheEngineSeesIt() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      byte[] hostile = Envelope.newBuilder().setBlockRequest(dev.jsync.protocol.v1.BlockRequest.newBuilder()
          .setRequestId(1).setPath("../../etc/passwd").setLength(10).setHash(ByteString.copyFrom(HASH.toBytes())))
          .build().toByteArray();
      p.listener.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(hostile, Protocol.DEFAULT_MAX_FRAME_BYTES)));
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(p.listenerEvents.requests).isEmpty();
      assertThat(p.listenerEvents.disconnected).singleElement().asString().contains("PROTOCOL_ERROR").contains("path");
      p.shuttle();
      assertThat(p.dialerEvents.disconnected).singleElement().asString().contains("peer closed: PROTOCOL_ERROR");
    }
  }

  /**
   * Names that a case-insensitive, normalising or Windows file system takes for the state folder
   * or a temp file are refused on arrival too, whatever the receiver's own file system.
   */
  @Test
  void aDisguisedReservedNameClosesTheConnectionBeforeTheEngineSeesIt() {
    for (String path : List.of(".JSYNC/device.p12", ".jsync./index", "a/.Jsync-tmp-0123-4567", "JSYNC~1/x")) {
      try (EmbeddedPeers p = linked(NetLimits.defaults())) {
        byte[] hostile = Envelope.newBuilder().setBlockRequest(dev.jsync.protocol.v1.BlockRequest.newBuilder()
            .setRequestId(1).setPath(path).setLength(10).setHash(ByteString.copyFrom(HASH.toBytes())))
            .build().toByteArray();
        p.listener.writeInbound(Unpooled.wrappedBuffer(FrameFormat.frame(hostile, Protocol.DEFAULT_MAX_FRAME_BYTES)));
        assertThat(p.listener.isOpen()).as(path).isFalse();
        assertThat(p.listenerEvents.requests).as(path).isEmpty();
        assertThat(p.listenerEvents.disconnected).singleElement().asString().contains("PROTOCOL_ERROR");
      }
    }
  }

  @Test
  void anOversizeFrameClosesTheConnection() {
    try (EmbeddedPeers p = linked(NetLimits.defaults().withMaxFrameBytes(64 * 1024))) {
      p.listener.writeInbound(Unpooled.wrappedBuffer(FrameFormat.prefix(1 << 20)));
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(p.listenerEvents.disconnected).singleElement().asString().contains("exceeds the maximum");
    }
  }

  @Test
  void aHandshakeMessageAfterTheHandshakeClosesTheConnection() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      p.listener.writeInbound(HandshakeTest.frame(AuthProof.confirmation(new byte[32])));
      assertThat(p.listener.isOpen()).isFalse();
      assertThat(p.listenerEvents.disconnected).singleElement().asString().contains("unexpected AuthProof");
    }
  }

  @Test
  void aPeerThatDoesNotReadStopsUsReadingUntilItCatchesUp() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      assertThat(p.listener.config().isAutoRead()).isTrue();
      p.listener.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
      p.listener.runPendingTasks();
      assertThat(p.listener.config().isAutoRead()).isFalse();
      p.listener.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
      p.listener.runPendingTasks();
      assertThat(p.listener.config().isAutoRead()).isTrue();
    }
  }

  @Test
  void closingTheLinkFailsPendingRequestsAndLaterOnes() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      PeerLink link = p.dialerEvents.connected.get(0);
      List<CompletableFuture<BlockReply>> replies = request(link, 3, 10);
      p.shuttle();
      link.close("engine says stop");
      p.shuttle();
      assertThat(replies).allMatch(CompletableFuture::isCompletedExceptionally);
      CompletableFuture<BlockReply> late = request(link, 1, 10).get(0);
      p.dialer.runPendingTasks();
      assertThat(late).isCompletedExceptionally();
      assertThat(p.listenerEvents.disconnected).singleElement().asString().contains("SHUTDOWN: engine says stop");
    }
  }

  @Test
  void anIndexUpdateTooBigForOneFrameArrivesAsChainedBatches() {
    try (EmbeddedPeers p = linked(NetLimits.defaults())) {
      // Three files of 2.5 GiB: about 640 KiB of block hashes each, over the 1 MiB batch target together.
      List<FileRecord> records = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        long size = 20_000L * BlockInfo.SIZE;
        List<BlockInfo> blocks = new ArrayList<>();
        for (long off = 0; off < size; off += BlockInfo.SIZE) {
          blocks.add(new BlockInfo(off, BlockInfo.SIZE, HASH));
        }
        records.add(FileRecord.file(RelativePath.of("big" + i), size, 1, false, blocks, HASH,
            VersionVector.empty().increment(p.dialerNode.identity.id()), p.dialerNode.identity.id()).withSequence(10 + i));
      }
      CompletableFuture<Void> sent = p.dialerEvents.connected.get(0)
          .sendIndex(new IndexUpdate(5, 10, 20, records)).toCompletableFuture();
      p.shuttle();
      assertThat(sent).isCompleted();
      List<IndexUpdate> got = p.listenerEvents.indexes;
      assertThat(got).hasSizeGreaterThan(1);
      assertThat(got.get(0).previousSequence()).isEqualTo(10);
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i).previousSequence()).isEqualTo(got.get(i - 1).lastSequence());
      }
      assertThat(got.get(got.size() - 1).lastSequence()).isEqualTo(20);
      assertThat(got.stream().flatMap(u -> u.records().stream()).toList()).isEqualTo(records);
    }
  }
}
