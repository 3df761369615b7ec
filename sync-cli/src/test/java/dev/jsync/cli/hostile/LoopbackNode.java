package dev.jsync.cli.hostile;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NetLimits;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real node as a user runs it, minus the command line: {@link SyncNode} on a folder, the
 * RocksDB store and {@link NettyTransport} listening on 127.0.0.1 (an ephemeral port), all
 * closed by {@link #close()}. The folder may be on Jimfs (a case-insensitive one); the store
 * and the device identity are always in a real folder of their own.
 */
final class LoopbackNode implements AutoCloseable {

  static final String SECRET = "correct horse battery staple";

  /** Short reconnect and keep-alive timers, so a dropped attacker is back at once. */
  static final NetLimits FAST = NetLimits.defaults()
      .withReconnect(Duration.ofMillis(50), Duration.ofMillis(400))
      .withKeepAlive(Duration.ofMillis(500), Duration.ofSeconds(5));

  final Path folder;
  final List<SyncEvent> events = new CopyOnWriteArrayList<>();
  private final RocksDbIndexStore store;
  private final NettyTransport transport;
  private final SyncNode node;

  private LoopbackNode(Path folder, Path stateDir, String name, List<InetSocketAddress> peers, SyncOptions options)
      throws IOException {
    this.folder = folder;
    this.store = RocksDbIndexStore.open(stateDir);
    this.transport = new NettyTransport(NetConfig.of(stateDir, SECRET)
        .withListen(new InetSocketAddress("127.0.0.1", 0))
        .withPeers(peers)
        .withLimits(FAST));
    this.node = SyncNode.builder(folder, store, transport)
        .options(options.withWatch(false).withDeviceName(name))
        .listener(events::add)
        .build();
  }

  /** Starts a node on {@code folder}, keeping its store and identity in {@code stateDir}. */
  static LoopbackNode start(Path folder, Path stateDir, String name, List<InetSocketAddress> peers)
      throws IOException {
    return start(folder, stateDir, name, peers, SyncOptions.defaults());
  }

  /** Likewise, with {@code options} (watching off, the device named {@code name}). */
  static LoopbackNode start(Path folder, Path stateDir, String name, List<InetSocketAddress> peers,
      SyncOptions options) throws IOException {
    LoopbackNode n = new LoopbackNode(folder, stateDir, name, peers, options);
    n.node.start();
    return n;
  }

  /** How many records of {@code peer}'s index the node's store holds. */
  long remoteRecords(dev.jsync.core.DeviceId peer) {
    long[] n = {0};
    store.forEachRemote(peer, r -> n[0]++);
    return n[0];
  }

  dev.jsync.core.SyncStatus status() {
    return node.status();
  }

  InetSocketAddress address() {
    return transport.localAddress();
  }

  /** Whether the node still answers: it is running and reports its status. */
  boolean running() {
    return node.status() != null;
  }

  @Override
  public void close() {
    node.close();
    transport.close();
    store.close();
  }
}
