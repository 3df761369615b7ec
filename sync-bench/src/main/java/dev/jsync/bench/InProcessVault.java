package dev.jsync.bench;

import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexStore;
import dev.jsync.store.RocksDbIndexStore;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine alone on scenario A: two nodes in one JVM over the in-memory network, real folders
 * and the real (or in-memory) store, a vault of small notes on one side. No TLS, no sockets:
 * what is left is scanning, index exchange, block transfer and commits. For profiling:
 * {@code java -cp sync-bench/target/benchmarks.jar dev.jsync.bench.InProcessVault [files] [rocksdb|memory]}.
 */
public final class InProcessVault {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    boolean rocks = args.length < 2 || args[1].equals("rocksdb");
    Path base = Files.createTempDirectory("jsync-vault");
    Path a = Files.createDirectories(base.resolve("a"));
    Path b = Files.createDirectories(base.resolve("b"));
    dev.jsync.bench.e2e.Datasets.vault(a, n, 200, 1);
    ExecutorService delivery = Executors.newSingleThreadExecutor();
    InMemoryNetwork net = new InMemoryNetwork(delivery);
    DeviceId ia = DeviceId.fromName("a");
    DeviceId ib = DeviceId.fromName("b");
    IndexStore sa = rocks ? RocksDbIndexStore.open(a.resolve(".jsync")) : new InMemoryIndexStore();
    IndexStore sb = rocks ? RocksDbIndexStore.open(b.resolve(".jsync")) : new InMemoryIndexStore();
    SyncOptions opts = SyncOptions.defaults().withWatch(false);
    try (SyncNode na = SyncNode.builder(a, sa, net.transport(ia)).device(ia).options(opts).build();
         SyncNode nb = SyncNode.builder(b, sb, net.transport(ib)).device(ib).options(opts).build()) {
      long t0 = System.nanoTime();
      na.start();
      nb.start();
      while (na.status().localFiles() < n + 200) {
        Thread.sleep(5);
      }
      long t1 = System.nanoTime();
      net.link(ia, ib);
      while (nb.status().localFiles() < n + 200 || nb.status().filesNeeded() > 0) {
        Thread.sleep(5);
      }
      long t2 = System.nanoTime();
      System.out.printf("store=%s files=%d: indexing %.2f s, sync %.2f s%n", rocks ? "rocksdb" : "memory", n,
          (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    } finally {
      sa.close();
      sb.close();
      delivery.shutdownNow();
    }
  }
}
