package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real NettyTransports over TCP on 127.0.0.1. */
class NettyTransportLoopbackTest {

  @TempDir
  Path dir;

  private final Closer closer = new Closer();

  @AfterEach
  void closeAll() {
    closer.close();
  }

  @Test
  void rightSecretConnectsAndExchangesIndexAndBlocks() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = closer.add(new NettyTransport(TestNodes.config(dir.resolve("b"), "b", TestNodes.SECRET)));
    b.start(bEvents);
    RecordingHandler aEvents = new RecordingHandler("a");
    NettyTransport a = closer.add(new NettyTransport(
        TestNodes.config(dir.resolve("a"), "a", TestNodes.SECRET, b.localAddress())));
    a.start(aEvents);

    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1);
    PeerLink aToB = aEvents.lastLink();
    PeerLink bToA = bEvents.lastLink();
    assertThat(aToB.peer()).isEqualTo(b.deviceId());
    assertThat(bToA.peer()).isEqualTo(a.deviceId());
    assertThat(aEvents.connected.get(0).hello().deviceName()).isEqualTo("b");
    assertThat(bEvents.connected.get(0).hello().deviceName()).isEqualTo("a");

    // An index batch from A reaches B intact.
    byte[] content = "hello, block".getBytes();
    Sha256 hash = Sha256.of(content);
    FileRecord record = FileRecord.file(RelativePath.of("notes/hello.md"), content.length, 1, false,
        List.of(new BlockInfo(0, content.length, hash)), hash, VersionVector.empty().increment(a.deviceId()),
        a.deviceId()).withSequence(1);
    aToB.sendIndex(new IndexUpdate(42, 0, 1, List.of(record))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(bEvents.nextIndex()).isEqualTo(new IndexUpdate(42, 0, 1, List.of(record)));

    // B asks A for the block; A's engine answers; many requests are in flight at once.
    aEvents.responder = (request, reply) -> reply.accept(BlockReply.data(content));
    var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<BlockReply>>();
    for (int i = 0; i < 50; i++) {
      replies.add(bToA.requestBlock(new BlockRequest(record.path(), 0, content.length, hash)).toCompletableFuture());
    }
    for (var f : replies) {
      assertThat(((BlockReply.Data) f.get(10, TimeUnit.SECONDS)).bytes()).isEqualTo(content);
    }
    assertThat(aEvents.requests).hasSize(50);
    assertThat(aEvents.requests.peek().link().peer()).isEqualTo(b.deviceId());
  }

}
