package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.SimulatedNetwork;
import dev.jsync.testkit.SimulatedScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

  private static final DeviceId A = DeviceId.fromName("a");
  private static final DeviceId B = DeviceId.fromName("b");

  private final SimulatedScheduler scheduler = new SimulatedScheduler(1);
  private final RecordingHandler atA = new RecordingHandler();
  private final RecordingHandler atB = new RecordingHandler();

  private SimulatedNetwork start(NetworkFaults faults) {
    SimulatedNetwork net = new SimulatedNetwork(scheduler, faults);
    net.transport(A).start(atA);
    net.transport(B).start(atB);
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    return net;
  }

  @Test
  void startedTransportsConnectOnceAndExchangeHellos() {
    SimulatedNetwork net = start(NetworkFaults.none());
    assertThat(net.isConnected(A, B)).isTrue();
    assertThat(atA.connects).isOne();
    assertThat(atB.connects).isOne();
    assertThat(atA.link.peer()).isEqualTo(B);
  }

  @Test
  void messagesOnOneConnectionArriveInOrderDespiteLossAndJitter() {
    SimulatedNetwork net = start(NetworkFaults.none().withLatency(Duration.ofMillis(1), Duration.ofMillis(200))
        .withLoss(0.3).withDuplication(0.2).withBandwidth(1_000_000));
    List<Long> sent = new ArrayList<>();
    for (long i = 1; i <= 50; i++) {
      atA.link.sendIndex(new IndexUpdate(1, i - 1, i, List.of()));
      sent.add(i);
    }
    scheduler.runFor(Duration.ofSeconds(60), 100_000);
    assertThat(atB.indexBatches).isEqualTo(sent);
    assertThat(net.indexBatchesSent()).isEqualTo(50);
  }

  @Test
  void aResetFailsOutstandingRequestsClosesBothLinksAndReconnects() {
    SimulatedNetwork net = start(NetworkFaults.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(20)));
    CompletableFuture<BlockReply> reply = atA.link.requestBlock(new BlockRequest(RelativePath.of("x"), 0, 4,
        Sha256.EMPTY)).toCompletableFuture();
    net.reset(A, B);
    scheduler.runFor(Duration.ofMillis(100), 10_000);
    assertThat(reply).isCompletedExceptionally();
    assertThat(reply.handle((r, e) -> e).join()).isInstanceOf(LinkClosedException.class);
    assertThat(atA.disconnects).isOne();
    assertThat(atB.disconnects).isOne();
    scheduler.runFor(Duration.ofSeconds(10), 10_000);
    assertThat(net.isConnected(A, B)).isTrue();
    assertThat(atA.connects).isEqualTo(2);
  }

  @Test
  void aShortPartitionDelaysMessagesAndALongOneResetsTheConnection() {
    SimulatedNetwork net = start(NetworkFaults.none());
    net.partition(List.of(A));
    atA.link.sendIndex(new IndexUpdate(1, 0, 1, List.of()));
    scheduler.runFor(Duration.ofSeconds(5), 10_000);
    assertThat(atB.indexBatches).isEmpty();
    net.heal();
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    assertThat(atB.indexBatches).containsExactly(1L);
    assertThat(atA.disconnects).isZero();

    net.partition(List.of(A));
    scheduler.runFor(NetworkFaults.none().keepAliveTimeout().plusSeconds(1), 100_000);
    assertThat(atA.disconnects).isOne();
    assertThat(net.isConnected(A, B)).isFalse();
    net.heal();
    scheduler.runFor(Duration.ofSeconds(20), 100_000);
    assertThat(net.isConnected(A, B)).isTrue();
  }

  @Test
  void aCrashedPeerIsNoticedAndItsRestartReconnects() {
    SimulatedNetwork net = start(NetworkFaults.none());
    net.crash(B);
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    assertThat(atA.disconnects).isOne();
    RecordingHandler restarted = new RecordingHandler();
    net.transport(B).start(restarted);
    scheduler.runFor(Duration.ofSeconds(10), 10_000);
    assertThat(restarted.connects).isOne();
    assertThat(atB.disconnects).as("the dead process hears nothing").isZero();
  }

  @Test
  void aRehandshakeDeliversWhatTheOldLinkHoldsThenClosesItThenConnectsTheNewOne() {
    SimulatedNetwork net = start(NetworkFaults.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(20)));
    var oldAtA = atA.link;
    for (long i = 1; i <= 5; i++) {
      atA.link.sendIndex(new IndexUpdate(1, i - 1, i, List.of()));
    }
    net.rehandshake(A, B);
    scheduler.runFor(Duration.ofSeconds(2), 10_000);

    assertThat(atB.events).containsExactly("connected", "batch 1", "batch 2", "batch 3", "batch 4", "batch 5",
        "disconnected: replaced by a newer connection", "connected");
    assertThat(atA.disconnects).isOne();
    assertThat(atA.link).isNotNull().isNotSameAs(oldAtA);
    assertThat(net.isConnected(A, B)).isTrue();
    assertThat(net.rehandshakes()).isOne();
    assertThat(net.connectionsOpened()).isEqualTo(2);
    assertThat(net.linksClosedByEngines()).isEmpty();
  }

  @Test
  void aRehandshakesHelloMayBeComputedBeforeTheOldLinksBatchesArrive() {
    // Over seeds, both ways come up: the hello B sends on the new link says it has read 0
    // (computed at the handshake, before the old link's batches reached it) or 5.
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    for (long seed = 1; seed <= 20; seed++) {
      SimulatedScheduler s = new SimulatedScheduler(seed);
      RecordingHandler a = new RecordingHandler();
      RecordingHandler b = new RecordingHandler();
      SimulatedNetwork net = new SimulatedNetwork(s, NetworkFaults.none().withLatency(Duration.ofMillis(20),
          Duration.ofMillis(20)));
      net.transport(A).start(a);
      net.transport(B).start(b);
      s.runFor(Duration.ofSeconds(1), 10_000);
      for (long i = 1; i <= 5; i++) {
        a.link.sendIndex(new IndexUpdate(1, i - 1, i, List.of()));
      }
      net.rehandshake(A, B);
      s.runFor(Duration.ofSeconds(2), 10_000);
      assertThat(b.indexBatches).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(a.hellos).hasSize(2);
      seen.add(a.hellos.get(1).seenOfYou().sequence());
    }
    assertThat(seen).containsExactly(0L, 5L);
  }

  @Test
  void aRehandshakeDiesWithAResetOfTheConnectionItWouldReplace() {
    SimulatedNetwork net = start(NetworkFaults.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(20)));
    net.rehandshake(A, B);
    net.reset(A, B);
    scheduler.runFor(Duration.ofSeconds(10), 10_000);
    assertThat(net.isConnected(A, B)).isTrue();
    assertThat(atA.disconnects).isOne();
    assertThat(atB.events).containsExactly("connected", "disconnected: connection reset", "connected");
  }

  @Test
  void aRepeatedBatchArrivesTwiceRightBehindItself() {
    SimulatedNetwork net = start(NetworkFaults.none().withTransportFaults(0, 1, 0, 0));
    for (long i = 1; i <= 3; i++) {
      atA.link.sendIndex(new IndexUpdate(1, i - 1, i, List.of()));
    }
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    assertThat(atB.indexBatches).containsExactly(1L, 1L, 2L, 2L, 3L, 3L);
    assertThat(net.batchesRepeated()).isEqualTo(3);
  }

  @Test
  void aSkippedBatchLeavesAGapThatTheNextBatchShowsWhileTheLinkStaysUp() {
    SimulatedNetwork net = start(NetworkFaults.none().withTransportFaults(0, 0, 1, 0));
    atA.link.sendIndex(new IndexUpdate(1, 0, 1, List.of()));
    atA.link.sendIndex(new IndexUpdate(1, 1, 2, List.of()));
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    atA.link.sendIndex(new IndexUpdate(1, 2, 3, List.of()));
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    // Batch 1 was still queued when 2 was sent; 3 went out after 2 had arrived: nothing to skip.
    assertThat(atB.indexBatches).containsExactly(2L, 3L);
    assertThat(net.batchesSkipped()).isOne();
    assertThat(atB.disconnects).isZero();
  }

  @Test
  void failedHandshakesBackOffAndTheNextDialConnects() {
    SimulatedNetwork net = new SimulatedNetwork(scheduler, NetworkFaults.none().withTransportFaults(0, 0, 0, 0.9));
    net.transport(A).start(atA);
    net.transport(B).start(atB);
    scheduler.runFor(Duration.ofMinutes(10), 100_000);
    assertThat(net.handshakesFailed()).isPositive();
    assertThat(net.isConnected(A, B)).isTrue();
    assertThat(atA.connects).isOne();
  }

  @Test
  void blockBytesAreCounted() {
    SimulatedNetwork net = start(NetworkFaults.none());
    CompletableFuture<BlockReply> reply = atA.link.requestBlock(new BlockRequest(RelativePath.of("x"), 0, 100,
        Sha256.EMPTY)).toCompletableFuture();
    scheduler.runFor(Duration.ofSeconds(1), 10_000);
    assertThat(reply.join()).isInstanceOf(BlockReply.Data.class);
    assertThat(net.blockRequestsSent()).isOne();
    assertThat(net.blockBytesSent()).isEqualTo(100);
    assertThat(net.blockBytesSent(RelativePath.of("x"))).isEqualTo(100);
    assertThat(net.blockBytesSent(RelativePath.of("y"))).isZero();
  }
}
