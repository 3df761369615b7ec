package dev.jsync.testkit;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small factories of records for the store contract: files whose blocks come from a given list
 * of hashes, folders, symlinks and tombstones, each with a chosen sequence number. Stateless.
 */
final class SampleRecords {

  static final DeviceId ALICE = DeviceId.fromName("alice");
  static final DeviceId BOB = DeviceId.fromName("bob");
  static final DeviceId CAROL = DeviceId.fromName("carol");

  private SampleRecords() {}

  /** The hash used as the {@code i}-th distinct block content in tests. */
  static Sha256 hash(int i) {
    return Sha256.of(("block " + i).getBytes(StandardCharsets.UTF_8));
  }

  static RelativePath path(String raw) {
    return RelativePath.of(raw);
  }

  /**
   * A live file made of one block per hash; the last block is {@code tail} bytes short, so the
   * size is not a multiple of the block size (unless there are no blocks).
   */
  static FileRecord file(String path, long sequence, int tail, Sha256... blockHashes) {
    long size = blockHashes.length == 0 ? 0 : (long) blockHashes.length * BlockInfo.SIZE - tail;
    return FileRecord.file(path(path), size, 1_700_000_000_000_000_000L + sequence, false,
            blocks(size, List.of(blockHashes)), contentHash(List.of(blockHashes)),
            VersionVector.empty().increment(ALICE), ALICE)
        .withSequence(sequence);
  }

  /** A live file of one block per hash, the last one 100 bytes short. */
  static FileRecord file(String path, long sequence, Sha256... blockHashes) {
    return file(path, sequence, blockHashes.length == 0 ? 0 : 100, blockHashes);
  }

  /** The block list of a file of {@code size} bytes whose blocks have these hashes. */
  static List<BlockInfo> blocks(long size, List<Sha256> hashes) {
    List<BlockInfo> out = new ArrayList<>(hashes.size());
    for (int i = 0; i < hashes.size(); i++) {
      long offset = (long) i * BlockInfo.SIZE;
      out.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset), hashes.get(i)));
    }
    return out;
  }

  static Sha256 contentHash(List<Sha256> blockHashes) {
    StringBuilder b = new StringBuilder("content");
    blockHashes.forEach(h -> b.append(' ').append(h));
    return Sha256.of(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  static FileRecord directory(String path, long sequence) {
    return FileRecord.directory(path(path), 1_600_000_000_000_000_000L, vector(ALICE, 1), ALICE)
        .withSequence(sequence);
  }

  static FileRecord symlink(String path, String target, long sequence) {
    return FileRecord.symlink(path(path), target, 1_650_000_000_123_456_789L, vector(BOB, 2), BOB)
        .withSequence(sequence);
  }

  /** A tombstone of a former file at {@code path}, deleted by Bob. */
  static FileRecord tombstone(String path, long sequence) {
    return file(path, 0, hash(0))
        .toTombstone(vector(ALICE, 1).merge(vector(BOB, 7)), BOB, 1_750_000_000_987_654_321L)
        .withSequence(sequence);
  }

  static VersionVector vector(DeviceId device, long counter) {
    return VersionVector.of(Map.of(device, counter));
  }
}
