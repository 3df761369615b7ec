package dev.jsync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/embedding.md and the README, compiled and run so they never rot: nodes
 * with the real store (RocksDB) and the real transport (TLS on 127.0.0.1). Each block between
 * {@code // --- example: NAME ---} and {@code // --- end ---} is what the docs show.
 */
class EmbeddingExampleTest {

  static final String SECRET = "correct horse battery staple";

  /** A running node and its transport (which the node owns and closes). */
  record Running(SyncNode node, NettyTransport transport) implements AutoCloseable {
    InetSocketAddress address() {
      return InetSocketAddress.createUnresolved("127.0.0.1", transport.localAddress().getPort());
    }

    @Override
    public void close() {
      node.close();
    }
  }

  static Running startNode(Path folder, String name, String secret, InetSocketAddress listen,
      List<InetSocketAddress> peers, SyncListener listener, List<String> localIgnores) throws IOException {
    // --- example: start ---
    Path state = folder.resolve(".jsync");
    RocksDbIndexStore store = RocksDbIndexStore.open(state);
    NettyTransport transport = new NettyTransport(NetConfig.builder(state, secret)
        .listen(listen)        // e.g. new InetSocketAddress(7777)
        .peers(peers)          // e.g. List.of(InetSocketAddress.createUnresolved("desktop", 7777))
        .build());
    SyncNode node = SyncNode.builder(folder, store, transport)
        .options(SyncOptions.builder()
            .deviceName(name)
            .localIgnores(localIgnores)   // e.g. List.of("*.iso", "build/"): this device only
            .build())
        .listener(listener)
        .ownStore()            // node.close() closes the transport, then the store
        .build();
    node.start();
    // --- end ---
    return new Running(node, transport);
  }

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Running start(String name, String secret, List<InetSocketAddress> peers, List<SyncEvent> events,
      String... localIgnores) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Running r = startNode(folder, name, secret, new InetSocketAddress("127.0.0.1", 0), peers, events::add,
        List.of(localIgnores));
    open.add(r);
    return r;
  }

  @Test
  void twoEmbeddedNodesSyncAFileAndCloseEverythingTheyOwn() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Files.writeString(a.resolve("hello.md"), "hello from a");
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    Running nodeA = start("a", SECRET, List.of(), eventsA);
    Running nodeB = start("b", SECRET, List.of(nodeA.address()), eventsB);

    waitUntil(30, () -> eventsB.contains(new SyncEvent.InSyncChanged(true))
        && Files.exists(dir.resolve("b/hello.md")));
    assertThat(Files.readString(dir.resolve("b/hello.md"))).isEqualTo("hello from a");
    assertThat(eventsB).anyMatch(e -> e instanceof SyncEvent.FileUpdated u && u.path().toString().equals("hello.md"));
    assertThat(eventsB).contains(new SyncEvent.Progress(1, "hello from a".length(), 0, 0));
    assertThat(eventsA).anyMatch(e -> e instanceof SyncEvent.PeerConnected c && c.name().equals("b"));
    assertThat(nodeB.node().device()).isEqualTo(nodeB.transport().deviceId());

    // One close() stops the node, says goodbye to the peer and closes the store: it opens again.
    nodeB.close();
    waitUntil(10, () -> eventsA.stream()
        .anyMatch(e -> e instanceof SyncEvent.PeerDisconnected d && d.reason() == DisconnectReason.CLOSED));
    try (RocksDbIndexStore again = RocksDbIndexStore.open(dir.resolve("b/.jsync"))) {
      assertThat(again.lastSequence()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void aNodeIsItsTransportsDevice() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("c"));
    try (RocksDbIndexStore store = RocksDbIndexStore.open(folder.resolve(".jsync"));
         NettyTransport transport = new NettyTransport(NetConfig.of(folder.resolve(".jsync"), SECRET))) {
      assertThatThrownBy(() -> SyncNode.builder(folder, store, transport).device(DeviceId.fromName("someone else"))
          .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the transport's");
    }
  }

  @Test
  void connectionProblemsArriveAsEventsWithTheirReason() throws Exception {
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    Running nodeA = start("a", SECRET, List.of(), eventsA);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    InetSocketAddress nobody = InetSocketAddress.createUnresolved("127.0.0.1", closedPort);
    start("b", "another secret entirely", List.of(nodeA.address(), nobody), eventsB);

    // --- example: events ---
    SyncListener listener = event -> {
      if (event instanceof SyncEvent.PeerUnreachable u) {
        System.out.println("cannot connect to " + u.address() + ": " + u.reason() + " (" + u.detail() + ")");
      } else if (event instanceof SyncEvent.PeerDisconnected d) {
        System.out.println("disconnected: " + d.reason());
      } else if (event instanceof SyncEvent.Error e && e.category() == SyncEvent.Error.Category.DISK_FULL) {
        System.out.println("the disk is full: " + e.message());
      }
    };
    // --- end ---
    eventsB.forEach(listener::onEvent);

    waitUntil(20, () -> reasons(eventsB).contains(DisconnectReason.AUTHENTICATION_FAILED)
        && reasons(eventsB).contains(DisconnectReason.REFUSED)
        && reasons(eventsA).contains(DisconnectReason.AUTHENTICATION_FAILED));
    // Retries fail the same way and are not news: one event per address and reason.
    Thread.sleep(1500);
    assertThat(eventsB.stream().filter(e -> e instanceof SyncEvent.PeerUnreachable u && u.address().equals(
        "127.0.0.1:" + closedPort))).hasSize(1);
    assertThat(nodeA.node().status().unreached()).anyMatch(f -> f.reason() == DisconnectReason.AUTHENTICATION_FAILED);
    assertThat(eventsA).noneMatch(e -> e instanceof SyncEvent.PeerConnected);
  }

  @Test
  void theDocsShowTheseExamplesWordForWord() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/jsync/cli/EmbeddingExampleTest.java"));
    String embedding = Files.readString(Path.of("../docs/embedding.md"));
    String readme = Files.readString(Path.of("../README.md"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "// --- example: (\\w+) ---\n(.*?)\n\\s*// --- end ---", java.util.regex.Pattern.DOTALL).matcher(source);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      String block = dedent(m.group(2));
      assertThat(embedding).as("docs/embedding.md shows example '%s'", m.group(1)).contains(block);
      if (m.group(1).equals("start")) {
        assertThat(readme).as("the README shows the start example").contains(block);
      }
    }
    assertThat(names).containsExactlyInAnyOrder("start", "events", "listeners", "peers", "pause");
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return String.join("\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList());
  }

  /** Waits up to {@code seconds} for {@code condition}; fails the test if it does not come true. */
  private static void waitUntil(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s");
      }
      Thread.sleep(20);
    }
  }

  private static long closedLinks(List<SyncEvent> events) {
    return events.stream()
        .filter(e -> e instanceof SyncEvent.PeerDisconnected d && d.reason() == DisconnectReason.CLOSED).count();
  }

  private static List<DisconnectReason> reasons(List<SyncEvent> events) {
    return events.stream().filter(e -> e instanceof SyncEvent.PeerUnreachable)
        .map(e -> ((SyncEvent.PeerUnreachable) e).reason()).toList();
  }

  @Test
  void listenersPausePeersAddedAndRemovedAndDeviceLocalIgnores() throws Exception {
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    List<SyncEvent> eventsB = new CopyOnWriteArrayList<>();
    Running nodeA = start("a", SECRET, List.of(), eventsA, "*.iso");
    Path b = Files.createDirectories(dir.resolve("b"));
    List<SyncEvent> onExecutor = new CopyOnWriteArrayList<>();
    ExecutorService ui = Executors.newSingleThreadExecutor();
    open.add(() -> {
      ui.shutdown();
      ui.awaitTermination(5, TimeUnit.SECONDS);
    });
    Path state = b.resolve(".jsync");
    NettyTransport transport = new NettyTransport(NetConfig.builder(state, SECRET)
        .listen(new InetSocketAddress("127.0.0.1", 0)).build());
    // --- example: listeners ---
    SyncNode node = SyncNode.builder(b, RocksDbIndexStore.open(state), transport)
        .listener(eventsB::add)                 // on the node's control thread: return quickly
        .listener(onExecutor::add, ui)          // on the application's own thread, in order
        .ownStore()
        .build();
    // --- end ---
    open.add(node);
    node.start();

    InetSocketAddress desktop = InetSocketAddress.createUnresolved("127.0.0.1",
        nodeA.transport().localAddress().getPort());
    // --- example: peers ---
    node.addPeer(desktop);       // dialed at once, and kept dialing like a peer given at the start
    // ...
    node.removePeer(desktop);    // no longer dialed; the link this node dialed there is closed
    // --- end ---
    assertThat(node.peers()).isEmpty();
    assertThat(transport.peers()).isEmpty();
    assertThat(node.removePeer(desktop)).as("not dialed any more").isFalse();
    assertThat(node.addPeer(desktop)).isTrue();
    assertThat(node.addPeer(desktop)).as("dialed already").isFalse();
    assertThat(node.peers()).containsExactly(desktop);
    waitUntil(20, () -> node.status().inSync());

    Files.writeString(dir.resolve("a/film.iso"), "only on a");
    // --- example: pause ---
    node.pause();      // no download starts and nothing is announced; links stay up
    // --- end ---
    Files.writeString(dir.resolve("a/plan.md"), "while paused");
    waitUntil(20, () -> node.status().filesNeeded() == 1);
    Thread.sleep(500);
    assertThat(b.resolve("plan.md")).doesNotExist();
    node.resume();
    waitUntil(20, () -> Files.exists(b.resolve("plan.md")));
    assertThat(b.resolve("film.iso")).as("ignored on a only, so never announced").doesNotExist();

    long closedBefore = closedLinks(eventsA);
    assertThat(node.removePeer(desktop)).isTrue();
    waitUntil(10, () -> closedLinks(eventsA) > closedBefore);
    waitUntil(5, () -> onExecutor.size() >= eventsB.size());
    assertThat(onExecutor).startsWith(eventsB.subList(0, Math.min(eventsB.size(), onExecutor.size()))
        .toArray(new SyncEvent[0]));
  }
}
