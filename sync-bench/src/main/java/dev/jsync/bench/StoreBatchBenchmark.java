package dev.jsync.bench;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.store.RocksDbIndexStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

/** Synced RocksDB batch writes of local records, as the engine makes them (one per change, or a scan's chunk). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBatchBenchmark {

  @Param({"1", "1000"})
  public int recordsPerBatch;

  private Path dir;
  private RocksDbIndexStore store;
  private long sequence;
  private final DeviceId device = DeviceId.fromName("bench");

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("jsync-store-bench");
    store = RocksDbIndexStore.open(dir);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long writeBatch() {
    StoreBatch batch = new StoreBatch();
    for (int i = 0; i < recordsPerBatch; i++) {
      long seq = ++sequence;
      byte[] content = Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      BlockInfo block = new BlockInfo(0, content.length, Sha256.of(content));
      FileRecord r = FileRecord.file(RelativePath.of("folder" + (seq % 200) + "/note" + seq + ".md"), content.length,
          seq, false, List.of(block), Sha256.of(block.hash().toBytes()),
          VersionVector.empty().increment(device, seq), device).withSequence(seq);
      batch.putLocal(LocalEntry.of(r, new DiskStat(content.length, seq, "")));
    }
    store.apply(batch);
    return sequence;
  }
}
