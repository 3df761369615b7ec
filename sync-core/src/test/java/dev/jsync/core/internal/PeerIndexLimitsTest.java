package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.StoreBatch;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerIndexLimits} played by a peer that knows the secret and announces what would
 * exhaust the node: many records, or few records with long paths, each of which would become a
 * need held in memory.
 */
class PeerIndexLimitsTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");
  private final TinyStore store = new TinyStore();

  @Test
  void longPathsUnderTheRecordCapAreRefusedOnceTheirMemoryGoesBeyondTheHeapShare() {
    // 100 records, far under the record cap, but each path about 4,000 characters long.
    PeerIndexLimits limits = new PeerIndexLimits(store, 1_000_000, Long.MAX_VALUE, 512 * 1024);
    List<FileRecord> longPaths = IntStream.range(0, 100).mapToObj(i -> tombstone(longPath(i), i + 1)).toList();

    assertThatThrownBy(() -> limits.check(PEER, false, longPaths))
        .isInstanceOf(PeerIndexLimits.Refused.class)
        .hasMessageContaining("MiB of memory to pull")
        .hasMessageContaining("-Xmx");
  }

  @Test
  void theMemoryHeldIsCountedAcrossBatchesAndFromTheStoreAtFirstSight() {
    long perRecord = PeerIndexLimits.HEAP_PER_RECORD + 2L * longPath(0).toString().length();
    // Room for 10 such records.
    long share = 10 * perRecord + perRecord / 2;
    StoreBatch earlier = new StoreBatch();
    for (int i = 0; i < 6; i++) {
      earlier.putRemote(PEER, tombstone(longPath(i), i + 1));
    }
    store.apply(earlier);
    PeerIndexLimits limits = new PeerIndexLimits(store, 1_000_000, Long.MAX_VALUE, share);

    PeerIndexLimits.Held four = limits.check(PEER, false,
        IntStream.range(6, 10).mapToObj(i -> tombstone(longPath(i), i + 1)).toList());
    assertThat(four.records()).isEqualTo(10);
    limits.stored(PEER, four);
    assertThatThrownBy(() -> limits.check(PEER, false, List.of(tombstone(longPath(10), 11))))
        .isInstanceOf(PeerIndexLimits.Refused.class);
    // A record at a path already held adds nothing; an index started over is counted afresh.
    assertThat(limits.check(PEER, false, List.of(tombstone(longPath(3), 12))).records()).isEqualTo(10);
    assertThat(limits.check(PEER, true, List.of(tombstone(longPath(10), 1))).records()).isEqualTo(1);
  }

  @Test
  void aBatchBeyondTheRecordCapIsRefusedWhateverItsPaths() {
    PeerIndexLimits limits = new PeerIndexLimits(store, 3, Long.MAX_VALUE, Long.MAX_VALUE);
    List<FileRecord> four = IntStream.range(0, 4).mapToObj(i -> tombstone(RelativePath.of("p" + i), i + 1)).toList();
    assertThatThrownBy(() -> limits.check(PEER, false, four)).hasMessageContaining("more than the 3");
  }

  private static RelativePath longPath(int i) {
    return RelativePath.of(("d".repeat(200) + "/").repeat(19) + "file-" + i);
  }

  private static FileRecord tombstone(RelativePath path, long sequence) {
    VersionVector v = VersionVector.empty().increment(PEER, sequence);
    return FileRecord.directory(path, 1_000, v, PEER).toTombstone(v.increment(PEER), PEER, 1_000)
        .withSequence(sequence);
  }
}
