package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers added and removed while a node runs, through {@link SyncNode#addPeer} and
 * {@link SyncNode#removePeer}, on the in-memory network (NettyTransport's side is in sync-cli's
 * EmbeddingExampleTest).
 */
class PeersWhileRunningTest {

  @TempDir
  Path dir;

  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final List<SyncNode> nodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(SyncNode::close);
    delivery.shutdownNow();
  }

  @Test
  void aPeerAddedWhileRunningIsDialedAndOneRemovedIsLeft() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork(delivery);
    DeviceId a = DeviceId.fromName("a");
    DeviceId b = DeviceId.fromName("b");
    network.link(a, b); // reachable, but neither dials the other yet
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    SyncNode nodeA = node(network.transport(a, List.of()), "a", eventsA);
    SyncNode nodeB = node(network.transport(b, List.of()), "b", eventsB);
    Files.writeString(dir.resolve("a/one.txt"), "first");
    nodeA.scanNow();
    Thread.sleep(300);
    assertThat(nodeB.status().peers()).as("nobody dials: no link").isEmpty();
    assertThat(nodeB.peers()).isEmpty();

    assertThat(nodeB.addPeer(InMemoryNetwork.address(a))).isTrue();
    assertThat(nodeB.addPeer(InMemoryNetwork.address(a))).as("dialed already").isFalse();
    assertThat(nodeB.peers()).containsExactly(InMemoryNetwork.address(a));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("b/one.txt")));
    assertThat(eventsB).anyMatch(e -> e instanceof SyncEvent.PeerConnected c && c.peer().equals(a));

    assertThat(nodeB.removePeer(InMemoryNetwork.address(a))).isTrue();
    assertThat(nodeB.removePeer(InMemoryNetwork.address(a))).as("not dialed any more").isFalse();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> eventsA.stream().anyMatch(e -> e instanceof SyncEvent.PeerDisconnected d && d.peer().equals(b)));
    assertThat(nodeB.peers()).isEmpty();
    Files.writeString(dir.resolve("a/two.txt"), "after the removal");
    nodeA.scanNow();
    Thread.sleep(500);
    assertThat(dir.resolve("b/two.txt")).as("no link any more, so nothing comes").doesNotExist();
    assertThat(nodeB.status().peers()).allMatch(p -> !p.connected());
  }

  @Test
  void aRemovedPeerThatStillDialsThisOneReconnects() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork(delivery);
    DeviceId a = DeviceId.fromName("a");
    DeviceId b = DeviceId.fromName("b");
    network.link(a, b);
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    node(network.transport(a, List.of(b)), "a", new CopyOnWriteArrayList<>());
    SyncNode nodeB = node(network.transport(b, List.of(a)), "b", eventsB);
    await().atMost(Duration.ofSeconds(10)).until(() -> count(eventsB, SyncEvent.PeerConnected.class) == 1);

    nodeB.removePeer(InMemoryNetwork.address(a));

    // As with NettyTransport: only this side stopped dialing; the other still dials it.
    await().atMost(Duration.ofSeconds(10)).until(() -> count(eventsB, SyncEvent.PeerConnected.class) == 2);
    assertThat(count(eventsB, SyncEvent.PeerDisconnected.class)).isEqualTo(1);
  }

  @Test
  void aTransportWithFixedPeersOrAnotherKindOfAddressIsRefused() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork(delivery);
    DeviceId a = DeviceId.fromName("a");
    SyncNode fixed = node(network.transport(a), "a", new CopyOnWriteArrayList<>());
    assertThatThrownBy(() -> fixed.addPeer(InMemoryNetwork.address(DeviceId.fromName("b"))))
        .isInstanceOf(UnsupportedOperationException.class);

    DeviceId c = DeviceId.fromName("c");
    SyncNode choosing = node(network.transport(c, List.of()), "c", new CopyOnWriteArrayList<>());
    assertThatThrownBy(() -> choosing.addPeer(InetSocketAddress.createUnresolved("localhost", 7777)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(choosing.peers()).isEmpty();
  }

  private SyncNode node(dev.jsync.core.transport.Transport transport, String name, List<SyncEvent> events)
      throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    SyncNode node = SyncNode.builder(folder, new InMemoryIndexStore(), transport)
        .options(SyncOptions.defaults().withWatch(false).withDeviceName(name))
        .listener(events::add)
        .build();
    nodes.add(node);
    node.start();
    return node;
  }

  private static long count(List<SyncEvent> events, Class<? extends SyncEvent> kind) {
    return events.stream().filter(kind::isInstance).count();
  }
}
