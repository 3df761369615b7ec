package dev.jsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NetLimits;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index record that cannot fit a frame, on real nodes over TLS on 127.0.0.1 with the real
 * store: the sender reports that path and sends the rest of its index, then later changes too.
 * Before, the failed send was dropped without a word and every later push rebuilt the same
 * failing batch, so the peer never heard of anything again.
 */
class IndexSendFailureLoopbackTest {

  /** Small frames, so that the record of a 16 MiB file (128 block hashes) cannot fit one. */
  private static final NetLimits SMALL_FRAMES = NetLimits.defaults().withMaxFrameBytes(4096);

  @TempDir
  Path dir;

  record Running(SyncNode node, NettyTransport transport, RocksDbIndexStore store) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
      transport.close();
      store.close();
    }
  }

  private static Running start(Path folder, List<InetSocketAddress> peers, List<SyncEvent> events)
      throws Exception {
    Path state = folder.resolve(".jsync");
    RocksDbIndexStore store = RocksDbIndexStore.open(state);
    NettyTransport transport = new NettyTransport(NetConfig.of(state, "correct horse battery staple")
        .withListen(new InetSocketAddress("127.0.0.1", 0)).withPeers(peers).withLimits(SMALL_FRAMES));
    SyncNode node = SyncNode.builder(folder, store, transport).device(transport.deviceId())
        .listener(events::add).build();
    node.start();
    return new Running(node, transport, store);
  }

  @Test
  void aRecordTooLargeForAFrameIsReportedAndTheRestOfTheIndexStillGoes() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.write(a.resolve("big.bin"), new byte[16 << 20]);
    Files.writeString(a.resolve("note.md"), "a note");
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    try (Running nodeA = start(a, List.of(), eventsA);
         Running nodeB = start(b, List.of(nodeA.transport().localAddress()), new CopyOnWriteArrayList<>())) {
      await(() -> Files.exists(b.resolve("note.md")));
      assertThat(Files.readString(b.resolve("note.md"))).isEqualTo("a note");
      assertThat(eventsA).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(SyncEvent.Error.class,
          err -> assertThat(err.path()).hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("big.bin"))));

      Files.writeString(a.resolve("later.md"), "written later");
      nodeA.node().scanNow();
      await(() -> Files.exists(b.resolve("later.md")));
      assertThat(Files.readString(b.resolve("later.md"))).isEqualTo("written later");
      assertThat(b.resolve("big.bin")).doesNotExist();
    }
  }

  private static void await(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
