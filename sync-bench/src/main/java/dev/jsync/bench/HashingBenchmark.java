package dev.jsync.bench;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.internal.BlockHasher;
import dev.jsync.core.internal.HashedContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Block hashing of a 64 MiB file (in the page cache) against raw SHA-256 of the same bytes in
 * memory: the gap is what reading and block bookkeeping cost. Divide 64 MiB by the time per
 * operation for MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HashingBenchmark {

  static final int SIZE = 64 << 20;

  private byte[] data;
  private Path file;
  private final BlockHasher hasher = new BlockHasher();
  private MessageDigest digest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    data = new byte[SIZE];
    new Random(1).nextBytes(data);
    file = Files.createTempFile("jsync-hash", ".bin");
    Files.write(file, data);
    digest = MessageDigest.getInstance("SHA-256");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  /** The ceiling: SHA-256 over the bytes in memory, one block at a time. */
  @Benchmark
  public byte[] rawSha256() {
    byte[] last = null;
    for (int off = 0; off < SIZE; off += BlockInfo.SIZE) {
      digest.update(data, off, BlockInfo.SIZE);
      last = digest.digest();
    }
    return last;
  }

  /** What the scanner does: read the file and hash every block, plus the content hash. */
  @Benchmark
  public HashedContent blockHasher() throws IOException {
    return hasher.hash(file);
  }
}
