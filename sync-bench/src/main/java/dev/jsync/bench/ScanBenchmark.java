package dev.jsync.bench;

import dev.jsync.core.DeviceId;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.internal.DiskView;
import dev.jsync.core.internal.Scanner;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full scan of a folder that has not changed since it was indexed: every file is stat'ed and
 * compared with the index, none is read. This is the periodic 60 s scan's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ScanBenchmark {

  @Param({"10000"})
  public int files;

  private Path folder;
  private InMemoryIndexStore store;
  private Scanner scanner;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    folder = Files.createTempDirectory("jsync-scan");
    Random r = new Random(1);
    for (int i = 0; i < files; i++) {
      Path p = folder.resolve("folder" + (i % 200)).resolve("note" + i + ".md");
      Files.createDirectories(p.getParent());
      byte[] b = new byte[200 + r.nextInt(8000)];
      r.nextBytes(b);
      Files.write(p, b);
    }
    // Index the folder the way a node does: start one, let its first scan finish.
    store = new InMemoryIndexStore();
    InMemoryNetwork net = new InMemoryNetwork(Runnable::run);
    DeviceId id = DeviceId.fromName("bench");
    try (SyncNode node = SyncNode.builder(folder, store, net.transport(id)).device(id)
        .options(SyncOptions.defaults().withWatch(false)).build()) {
      node.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (node.status().localFiles() < files + 200 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (node.status().localFiles() < files + 200) {
        throw new IllegalStateException("indexing did not finish: " + node.status());
      }
    }
    scanner = new Scanner(new DiskView(folder), store);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Scanner.Result unchangedTree() {
    Scanner.Result r = scanner.scanAll(IgnoreRules.defaults());
    if (!r.changes().isEmpty()) {
      throw new IllegalStateException("the tree changed: " + r.changes().size());
    }
    return r;
  }
}
