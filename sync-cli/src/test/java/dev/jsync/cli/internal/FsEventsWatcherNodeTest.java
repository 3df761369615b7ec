package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.net.InetSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (RocksDB store, TLS transport on 127.0.0.1, no peers) watching with the macOS
 * watcher's adapter, here over directory-watcher's JDK service: a save is scanned on the
 * adapter's report alone (the periodic scan is an hour away), with the engine's own listener.
 */
class FsEventsWatcherNodeTest {

  @TempDir Path dir;

  @Test
  void aSaveIsScannedOnTheAdaptersReport() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("Notes"));
    Files.createDirectories(folder.resolve(".git/objects"));
    Path state = folder.resolve(".jsync");
    List<SyncEvent.ScanFinished> scans = new CopyOnWriteArrayList<>();
    FsEventsFolderWatcher watcher = new FsEventsFolderWatcher(Thread::new,
        visitor -> FileSystems.getDefault().newWatchService());
    NettyTransport transport = new NettyTransport(NetConfig.builder(state, "correct horse battery staple")
        .listen(new InetSocketAddress("127.0.0.1", 0)).build());
    SyncNode node = SyncNode.builder(folder, RocksDbIndexStore.open(state), transport)
        .options(SyncOptions.builder().deviceName("mac").scanInterval(Duration.ofHours(1)).build())
        .listener(e -> {
          if (e instanceof SyncEvent.ScanFinished s) {
            scans.add(s);
          }
        })
        .watcher(watcher)
        .ownStore()
        .build();
    try {
      node.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (scans.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(scans).as("the start-up scan").isNotEmpty();
      Files.writeString(folder.resolve("note.md"), "saved on a Mac");
      deadline = System.nanoTime() + 10_000_000_000L;
      while (scans.stream().noneMatch(s -> !s.full() && s.changes() == 1) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(scans).as("a scan of the saved path, not a full one").anyMatch(s -> !s.full() && s.changes() == 1);
    } finally {
      node.close();
    }
  }
}
