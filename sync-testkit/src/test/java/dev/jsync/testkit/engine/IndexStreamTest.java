package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.internal.HashedContent;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node receiving a peer's index stream that overlaps what it holds, skips ahead, or whose
 * resumed stream is itself cut: it trims what it has, asks the peer to resume from its
 * position (again when the resumed stream's start is missing too), and never drops the link.
 */
class IndexStreamTest {

  private static final Duration T = Duration.ofSeconds(20);
  private static final DeviceId PEER = DeviceId.fromName("scripted");
  private static final long EPOCH = 42;

  @TempDir
  Path dir;

  private RealFolderCluster cluster;
  private Transport peerTransport;

  @AfterEach
  void tearDown() throws Exception {
    if (peerTransport != null) {
      peerTransport.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static FileRecord record(int n) {
    byte[] bytes = ("note " + n).getBytes(StandardCharsets.UTF_8);
    BlockInfo block = new BlockInfo(0, bytes.length, Sha256.of(bytes));
    return FileRecord.file(RelativePath.of("n" + n + ".md"), bytes.length, 1, false, List.of(block),
        HashedContent.contentHashOf(List.of(block)), VersionVector.empty().increment(PEER, n), PEER).withSequence(n);
  }

  /** The batch {@code (previous, last]} of the peer's index, records n(previous+1) .. n(last). */
  private static IndexUpdate batch(int previous, int last) {
    List<FileRecord> records = new ArrayList<>();
    for (int n = previous + 1; n <= last; n++) {
      records.add(record(n));
    }
    return new IndexUpdate(EPOCH, previous, last, records);
  }

  @Test
  void overlapsAreTrimmedAndGapsResumedWithoutDroppingTheLink() throws Exception {
    cluster = new RealFolderCluster(dir);
    var node = cluster.add("node");
    node.start();

    List<Long> resumeRequests = new CopyOnWriteArrayList<>();
    List<String> disconnects = new CopyOnWriteArrayList<>();
    CompletableFuture<PeerLink> link = new CompletableFuture<>();
    peerTransport = cluster.network.transport(PEER);
    peerTransport.start(new TransportHandler() {
      @Override
      public Hello helloFor(DeviceId peer) {
        return new Hello("scripted", EPOCH, 6, IndexPosition.NONE);
      }

      @Override
      public void connected(PeerLink l, Hello theirs) {
        link.complete(l);
      }

      @Override
      public void disconnected(PeerLink l, String reason) {
        disconnects.add(reason);
      }

      @Override
      public CompletionStage<Void> indexReceived(PeerLink l, IndexUpdate update) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void indexRequested(PeerLink l, long indexEpoch, long afterSequence) {
        assertThat(indexEpoch).isEqualTo(EPOCH);
        resumeRequests.add(afterSequence);
      }

      @Override
      public void blockRequested(PeerLink l, BlockRequest request, Consumer<BlockReply> reply) {
        reply.accept(BlockReply.failure(BlockError.NO_SUCH_FILE, "scripted peer serves nothing"));
      }
    });
    cluster.network.link(PEER, node.id);
    PeerLink l = link.get(T.toSeconds(), TimeUnit.SECONDS);

    l.sendIndex(batch(0, 1));
    cluster.await(T, () -> held(node) == 1);
    l.sendIndex(batch(2, 3)); // a gap: (1, 2] never came
    cluster.await(T, () -> resumeRequests.equals(List.of(1L)));
    l.sendIndex(batch(3, 4)); // the old stream goes on: dropped, no second request
    l.sendIndex(batch(2, 4)); // the resumed stream, its first batch missing: ask again
    cluster.await(T, () -> resumeRequests.size() == 2);
    assertThat(resumeRequests).containsExactly(1L, 1L);
    assertThat(held(node)).isEqualTo(1);

    l.sendIndex(batch(1, 4)); // continues from what the node holds
    cluster.await(T, () -> held(node) == 4);
    l.sendIndex(batch(2, 6)); // overlaps: n3 and n4 are skipped, n5 and n6 taken
    cluster.await(T, () -> held(node) == 6);
    l.sendIndex(batch(0, 6)); // the whole stream again (a repeat): nothing new
    l.sendIndex(batch(6, 6));
    cluster.await(T, () -> held(node) == 6 && peerStatus(node).peerSequence() == 6);

    assertThat(disconnects).isEmpty();
    assertThat(resumeRequests).hasSize(2);
    assertThat(peerStatus(node).connected()).isTrue();
  }

  private static PeerStatus peerStatus(RealFolderCluster.Member node) {
    return node.node.status().peers().stream().filter(p -> p.peer().equals(PEER)).findFirst().orElseThrow();
  }

  private static long held(RealFolderCluster.Member node) {
    return node.node.status().peers().stream().filter(p -> p.peer().equals(PEER))
        .mapToLong(PeerStatus::receivedSequence).findFirst().orElse(-1);
  }
}
