package dev.jsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding example of docs/embedding.md and the README, compiled and run so it never rots:
 * two nodes with the real store (RocksDB) and the real transport (TLS on 127.0.0.1).
 */
class EmbeddingExampleTest {

  /** A running node and what must be closed with it, in reverse order of opening. */
  record Running(SyncNode node, NettyTransport transport, RocksDbIndexStore store) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
      transport.close();
      store.close();
    }
  }

  // --- the example (docs/embedding.md shows this method's body) ---
  static Running startNode(Path folder, InetSocketAddress listen, List<InetSocketAddress> peers,
      List<SyncEvent> events) throws Exception {
    Path state = folder.resolve(".jsync");
    RocksDbIndexStore store = RocksDbIndexStore.open(state);
    NettyTransport transport = new NettyTransport(NetConfig.of(state, System.getenv().getOrDefault(
        "JSYNC_PASSWORD", "correct horse battery staple")).withListen(listen).withPeers(peers));
    SyncNode node = SyncNode.builder(folder, store, transport)
        .device(transport.deviceId())
        .listener(events::add)
        .build();
    node.start();
    return new Running(node, transport, store);
  }
  // --- end of the example ---

  @TempDir
  Path dir;

  @Test
  void twoEmbeddedNodesSyncAFile() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.writeString(a.resolve("hello.md"), "hello from a");
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    try (Running nodeA = startNode(a, new InetSocketAddress("127.0.0.1", 0), List.of(), eventsA);
         Running nodeB = startNode(b, new InetSocketAddress("127.0.0.1", 0),
             List.of(nodeA.transport().localAddress()), eventsB)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (eventsB.stream().noneMatch(e -> e instanceof SyncEvent.FileUpdated) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.readString(b.resolve("hello.md"))).isEqualTo("hello from a");
      assertThat(eventsB).anyMatch(e -> e instanceof SyncEvent.FileUpdated u && u.path().toString().equals("hello.md"));
      assertThat(eventsA).anyMatch(e -> e instanceof SyncEvent.PeerConnected);
    }
  }
}
