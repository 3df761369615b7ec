package dev.jsync.bench;

import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import dev.jsync.protocol.HelloMessage;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.Protocol;
import dev.jsync.store.RocksDbIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The scale figures that need to look inside a node, on a folder of 100,000 files with the real
 * RocksDB store: the time of a full rescan when nothing changed, and the bytes of index traffic
 * (encoded exactly as on the wire) when a peer reconnects and nothing changed.
 * {@code java -cp sync-bench/target/benchmarks.jar dev.jsync.bench.ScaleInProcess [files]}.
 */
public final class ScaleInProcess {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path base = Files.createTempDirectory("jsync-scale");
    Path a = Files.createDirectories(base.resolve("a"));
    Path b = Files.createDirectories(base.resolve("b"));
    dev.jsync.bench.e2e.Datasets.vault(a, n, 1000, 1);
    ExecutorService delivery = Executors.newSingleThreadExecutor();
    InMemoryNetwork net = new InMemoryNetwork(delivery);
    AtomicLong indexBytes = new AtomicLong();
    AtomicLong helloBytes = new AtomicLong();
    DeviceId ia = DeviceId.fromName("a");
    DeviceId ib = DeviceId.fromName("b");
    List<SyncEvent> eventsA = new CopyOnWriteArrayList<>();
    SyncOptions opts = SyncOptions.defaults().withWatch(false);
    try (RocksDbIndexStore sa = RocksDbIndexStore.open(a.resolve(".jsync"));
         RocksDbIndexStore sb = RocksDbIndexStore.open(b.resolve(".jsync"))) {
      SyncNode na = SyncNode.builder(a, sa, counting(net.transport(ia), ia, indexBytes, helloBytes)).device(ia)
          .options(opts).listener(eventsA::add).build();
      SyncNode nb = SyncNode.builder(b, sb, counting(net.transport(ib), ib, indexBytes, helloBytes)).device(ib)
          .options(opts).build();
      long t0 = System.nanoTime();
      na.start();
      await(() -> na.status().localFiles() >= n + 1000);
      System.out.printf("indexed %,d files in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);

      List<Double> rescans = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int before = scans(eventsA);
        na.scanNow();
        await(() -> scans(eventsA) > before);
        SyncEvent.ScanFinished last = (SyncEvent.ScanFinished) eventsA.stream()
            .filter(e -> e instanceof SyncEvent.ScanFinished).reduce((x, y) -> y).orElseThrow();
        if (last.changes() != 0) {
          throw new IllegalStateException("an unchanged folder reported changes: " + last);
        }
        rescans.add(last.took().toNanos() / 1e9);
      }
      System.out.printf("unchanged rescan of %,d files: %s s (median %.3f s)%n", n, rescans,
          rescans.stream().sorted().toList().get(1));

      if (args.length > 1 && args[1].equals("rescan-only")) {
        na.close();
        nb.close();
        return;
      }
      long t1 = System.nanoTime();
      nb.start();
      net.link(ia, ib);
      await(() -> nb.status().localFiles() >= n + 1000 && nb.status().filesNeeded() == 0);
      await(() -> na.status().inSync() && nb.status().inSync()
          && na.status().peers().get(0).receivedSequence() == nb.status().localSequence()
          && nb.status().peers().get(0).receivedSequence() == na.status().localSequence());
      System.out.printf("in-process initial sync of %,d files: %.2f s%n", n, (System.nanoTime() - t1) / 1e9);

      net.cut(ia, ib);
      await(() -> !na.status().peers().get(0).connected());
      long index0 = indexBytes.get();
      long hello0 = helloBytes.get();
      net.link(ia, ib);
      await(() -> na.status().inSync() && nb.status().inSync());
      Thread.sleep(1_000); // anything late would show now
      System.out.printf("reconnect with nothing changed: %d bytes of index batches, %d bytes of hellos%n",
          indexBytes.get() - index0, helloBytes.get() - hello0);
      na.close();
      nb.close();
    } finally {
      delivery.shutdownNow();
      dev.jsync.bench.e2e.EndToEnd.deleteTree(base);
    }
  }

  private static int scans(List<SyncEvent> events) {
    return (int) events.stream().filter(e -> e instanceof SyncEvent.ScanFinished).count();
  }

  private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(10);
    }
  }

  /** Wraps a transport so every index batch and hello is encoded as on the wire and counted. */
  private static Transport counting(Transport inner, DeviceId self, AtomicLong indexBytes, AtomicLong helloBytes) {
    return new Transport() {
      @Override
      public DeviceId deviceId() {
        return inner.deviceId();
      }

      @Override
      public void start(TransportHandler handler) {
        inner.start(new TransportHandler() {
          @Override
          public Hello helloFor(DeviceId peer) {
            Hello h = handler.helloFor(peer);
            helloBytes.addAndGet(MessageCodec.encode(new HelloMessage(self, Protocol.VERSION, h)).length);
            return h;
          }

          @Override
          public void connected(PeerLink link, Hello theirs) {
            handler.connected(wrap(link), theirs);
          }

          @Override
          public void disconnected(PeerLink link, String reason) {
            handler.disconnected(wrap(link), reason);
          }

          @Override
          public CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
            return handler.indexReceived(wrap(link), update);
          }

          @Override
          public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
            handler.indexRequested(wrap(link), indexEpoch, afterSequence);
          }

          @Override
          public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
            handler.blockRequested(wrap(link), request, reply);
          }

          private final java.util.Map<PeerLink, PeerLink> wrapped = new java.util.concurrent.ConcurrentHashMap<>();

          private PeerLink wrap(PeerLink link) {
            return wrapped.computeIfAbsent(link, l -> new PeerLink() {
              @Override
              public DeviceId peer() {
                return l.peer();
              }

              @Override
              public CompletionStage<Void> sendIndex(IndexUpdate update) {
                indexBytes.addAndGet(MessageCodec.encode(new IndexMessage(update)).length);
                return l.sendIndex(update);
              }

              @Override
              public CompletionStage<BlockReply> requestBlock(BlockRequest request) {
                return l.requestBlock(request);
              }

              @Override
              public void requestIndexFrom(long indexEpoch, long afterSequence) {
                l.requestIndexFrom(indexEpoch, afterSequence);
              }

              @Override
              public void close(String reason) {
                l.close(reason);
              }
            });
          }
        });
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
