package dev.jsync.store;

import dev.jsync.core.RelativePath;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * A child process of {@link StoreBenchmark}: opens an existing store the way an idle node holds
 * it, makes a few reads, lets the JVM settle, then prints its resident memory and RocksDB's.
 */
public final class StoreIdle {

  private StoreIdle() {}

  public static void main(String[] args) throws Exception {
    System.gc();
    Thread.sleep(500);
    String bare = StoreBenchmark.rss();
    org.rocksdb.RocksDB.loadLibrary();
    LoggerFactory.getLogger(StoreIdle.class).debug("logging initialised");
    System.gc();
    Thread.sleep(500);
    String before = StoreBenchmark.rss();
    long start = System.nanoTime();
    try (RocksDbIndexStore store = RocksDbIndexStore.open(Path.of(args[0]))) {
      long openMillis = (System.nanoTime() - start) / 1_000_000;
      System.gc();
      Thread.sleep(500);
      String opened = StoreBenchmark.rss();
      for (int i = 0; i < 1000; i++) {
        store.local(RelativePath.of(StoreBenchmark.path(i * 97)));
      }
      store.localSince(0, 1000);
      store.forEachLocal(e -> { });  // the engine's periodic full scan
      System.gc();
      Thread.sleep(2000);
      System.out.println("idle node: open " + openMillis + " ms (cold JVM); resident memory " + StoreBenchmark.rss()
          + " (bare JVM " + bare + ", + RocksDB library and Logback " + before + ", + store opened " + opened
          + ", + 1,000 reads and a full scan: the total); RocksDB: "
          + store.nativeMemorySummary());
    }
  }
}
