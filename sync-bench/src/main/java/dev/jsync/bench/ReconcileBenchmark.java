package dev.jsync.bench;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.NewestWinsResolver;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Reconciliation decisions per second, for the common cases: newer remote, and a conflict. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReconcileBenchmark {

  private final Reconciler reconciler = new Reconciler(NewestWinsResolver.defaults());
  private Optional<FileRecord> local;
  private FileRecord newer;
  private FileRecord concurrent;

  @Setup
  public void setUp() {
    DeviceId a = DeviceId.fromName("laptop");
    DeviceId b = DeviceId.fromName("desktop");
    DeviceId c = DeviceId.fromName("pi");
    VersionVector base = VersionVector.empty().increment(a, 1_700_000_000L).increment(b, 1_700_000_100L)
        .increment(c, 1_700_000_200L);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, 4000, Sha256.of(new byte[] {1})));
    Sha256 h1 = Sha256.of(new byte[] {2});
    Sha256 h2 = Sha256.of(new byte[] {3});
    RelativePath p = RelativePath.of("notes/daily/2026-11-24.md");
    local = Optional.of(FileRecord.file(p, 4000, 1, false, blocks, h1, base.increment(a), a));
    newer = FileRecord.file(p, 4000, 2, false, blocks, h2, base.increment(a).increment(b), b);
    concurrent = FileRecord.file(p, 4000, 3, false, blocks, h2, base.increment(c), c);
  }

  @Benchmark
  public Decision remoteIsNewer() {
    return reconciler.decide(local, newer);
  }

  @Benchmark
  public Decision conflict() {
    return reconciler.decide(local, concurrent);
  }
}
