package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batches the crash test's writer applies, and the check that a store holds a whole number
 * of them. Batch {@code b} rewrites group {@code b % GROUPS}: it puts its first {@code n(b)}
 * files (stamped with {@code b} as modification time, two blocks each from a small pool of
 * hashes), removes the others, stamps the group's remote record and the peer's position with
 * {@code b}, and writes {@code b} to metadata twice, first and last. A half-applied batch would
 * show as a group whose files disagree, a wrong file count, a stale block or sequence entry, or
 * metadata that disagrees. Stateless.
 */
final class CrashScheme {

  static final int GROUPS = 16;
  static final int FILES = 5;
  static final DeviceId PEER = DeviceId.fromName("crash-peer");
  static final DeviceId ME = DeviceId.fromName("crash-me");
  static final List<Sha256> HASHES = new ArrayList<>();

  static {
    for (int i = 0; i < 40; i++) {
      HASHES.add(Sha256.of(("crash block " + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private CrashScheme() {}

  static int filesIn(long batch) {
    return 1 + (int) ((batch / GROUPS) % FILES);
  }

  static StoreBatch batch(long b, long lastSequence) {
    int group = (int) (b % GROUPS);
    int n = filesIn(b);
    StoreBatch batch = new StoreBatch().putMetadata("batch-begin", encode(b));
    for (int k = 0; k < n; k++) {
      List<Sha256> hashes = List.of(HASHES.get((int) ((b + k) % HASHES.size())),
          HASHES.get((int) ((b * 7 + k) % HASHES.size())));
      long size = 2L * BlockInfo.SIZE - 10;
      List<BlockInfo> blocks = List.of(new BlockInfo(0, BlockInfo.SIZE, hashes.get(0)),
          new BlockInfo(BlockInfo.SIZE, BlockInfo.SIZE - 10, hashes.get(1)));
      FileRecord record = FileRecord.file(path(group, k), size, b, false, blocks, Sha256.of(encode(b)),
          VersionVector.empty().increment(ME, b), ME).withSequence(lastSequence + 1 + k);
      batch.putLocal(LocalEntry.of(record, new DiskStat(size, b, "ino " + b)));
    }
    for (int k = n; k < FILES; k++) {
      batch.removeLocal(path(group, k));
    }
    batch.putRemote(PEER, FileRecord.directory(RelativePath.of("g" + group), b, VersionVector.empty(), PEER));
    batch.setPosition(PEER, new IndexPosition(1, b));
    return batch.putMetadata("batch", encode(b));
  }

  /**
   * Asserts that {@code store} holds exactly batches 1 to b for some b, and returns b.
   */
  static long check(IndexStore store) {
    long b = store.metadata("batch").map(CrashScheme::decode).orElse(0L);
    assertThat(store.metadata("batch-begin").map(CrashScheme::decode).orElse(0L)).as("batch-begin").isEqualTo(b);
    assertThat(store.position(PEER)).isEqualTo(b == 0 ? IndexPosition.NONE : new IndexPosition(1, b));

    Map<RelativePath, FileRecord> locals = new HashMap<>();
    store.forEachLocal(e -> locals.put(e.record().path(), e.record()));
    int expectedFiles = 0;
    for (int group = 0; group < GROUPS; group++) {
      long last = b - Math.floorMod(b - group, GROUPS);   // the latest batch <= b that wrote this group
      if (last < 1) {
        for (int k = 0; k < FILES; k++) {
          assertThat(locals).doesNotContainKey(path(group, k));
        }
        continue;
      }
      int n = filesIn(last);
      expectedFiles += n;
      for (int k = 0; k < FILES; k++) {
        if (k < n) {
          assertThat(locals.get(path(group, k))).as("g%d/f%d after batch %d", group, k, b).isNotNull()
              .extracting(FileRecord::modifiedNanos).isEqualTo(last);
        } else {
          assertThat(locals).as("after batch %d", b).doesNotContainKey(path(group, k));
        }
      }
      assertThat(store.remote(PEER, RelativePath.of("g" + group))).get()
          .extracting(FileRecord::modifiedNanos).isEqualTo(last);
    }
    assertThat(locals).hasSize(expectedFiles);

    List<FileRecord> bySequence = store.localSince(0, Integer.MAX_VALUE);
    assertThat(bySequence).as("sequence index").hasSize(locals.size());
    long previous = 0;
    for (FileRecord r : bySequence) {
      assertThat(r.sequence()).isGreaterThan(previous);
      assertThat(locals.get(r.path())).isEqualTo(r);
      previous = r.sequence();
    }
    assertThat(store.lastSequence()).isEqualTo(previous);

    for (Sha256 hash : HASHES) {
      Set<RelativePath> expected = new HashSet<>();
      locals.values().forEach(r -> r.blocks().forEach(block -> {
        if (block.hash().equals(hash)) {
          expected.add(r.path());
        }
      }));
      Set<RelativePath> found = new HashSet<>();
      for (BlockLocation location : store.blockLocations(hash, Integer.MAX_VALUE)) {
        found.add(location.path());
        assertThat(locals.get(location.path()).blocks())
            .contains(new BlockInfo(location.offset(), location.length(), hash));
      }
      assertThat(found).as("block index of %s", hash).isEqualTo(expected);
    }
    return b;
  }

  private static RelativePath path(int group, int file) {
    return RelativePath.of("g" + group + "/f" + file + ".md");
  }

  static byte[] encode(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long decode(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
