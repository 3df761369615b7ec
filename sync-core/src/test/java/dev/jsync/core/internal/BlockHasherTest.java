package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Sha256;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockHasherTest {

  @TempDir
  Path dir;

  @Test
  void splitsIntoFixedBlocksAndHashesTheBlockList() throws Exception {
    byte[] data = new byte[2 * BlockInfo.SIZE + 10];
    new Random(1).nextBytes(data);
    Path f = dir.resolve("f");
    Files.write(f, data);

    HashedContent c = new BlockHasher().hash(f);

    assertThat(c.size()).isEqualTo(data.length);
    assertThat(c.blocks()).extracting(BlockInfo::offset).containsExactly(0L, (long) BlockInfo.SIZE, 2L * BlockInfo.SIZE);
    assertThat(c.blocks()).extracting(BlockInfo::length).containsExactly(BlockInfo.SIZE, BlockInfo.SIZE, 10);
    assertThat(c.blocks().get(1).hash())
        .isEqualTo(Sha256.of(Arrays.copyOfRange(data, BlockInfo.SIZE, 2 * BlockInfo.SIZE)));
    assertThat(c.contentHash()).isEqualTo(HashedContent.contentHashOf(c.blocks()));
  }

  @Test
  void anEmptyFileHasNoBlocksAndTheEmptyHash() throws Exception {
    Path f = Files.write(dir.resolve("empty"), new byte[0]);
    HashedContent c = new BlockHasher().hash(f);
    assertThat(c.blocks()).isEmpty();
    assertThat(c.contentHash()).isEqualTo(Sha256.EMPTY);
  }

  @Test
  void anExactMultipleOfTheBlockSizeHasNoShortTail() throws Exception {
    Path f = Files.write(dir.resolve("exact"), new byte[BlockInfo.SIZE]);
    assertThat(new BlockHasher().hash(f).blocks()).hasSize(1);
  }

  @Test
  void recordsOfFilesOver4GiBAreValid() {
    // 5 GiB worth of identical blocks: offsets beyond 2^32 must be fine everywhere.
    long size = 5L << 30;
    var blocks = new java.util.ArrayList<BlockInfo>();
    Sha256 h = Sha256.of(new byte[0]);
    for (long off = 0; off < size; off += BlockInfo.SIZE) {
      blocks.add(new BlockInfo(off, BlockInfo.SIZE, h));
    }
    var r = dev.jsync.core.FileRecord.file(dev.jsync.core.RelativePath.of("big"), size, 0, false, blocks,
        HashedContent.contentHashOf(blocks), dev.jsync.core.VersionVector.empty(), dev.jsync.core.DeviceId.fromName("x"));
    assertThat(r.blocks().get(r.blocks().size() - 1).offset()).isGreaterThan(1L << 32);
    assertThat(r.blocks().get(r.blocks().size() - 1).index()).isEqualTo(40959);
  }

  @Test
  void aLargeFileHashedInParallelGivesTheSameResultAsOnePass() throws Exception {
    Random random = new Random(7);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      long run = (long) BlockHasher.RUN_BLOCKS * BlockInfo.SIZE;
      for (long size : new long[] {BlockHasher.PARALLEL_FROM_BYTES, BlockHasher.PARALLEL_FROM_BYTES + 1,
          3 * run, 3 * run + BlockInfo.SIZE - 1, 2 * run + 17}) {
        byte[] data = new byte[(int) size];
        random.nextBytes(data);
        Path f = Files.write(dir.resolve("big-" + size), data);
        HashedContent onePass = new BlockHasher().hash(f);
        assertThat(new BlockHasher().hash(f, pool)).as("size %d", size).isEqualTo(onePass);
        // helpers that never come: the caller does it all
        assertThat(new BlockHasher().hash(f, task -> {
          throw new RejectedExecutionException("closed");
        })).isEqualTo(onePass);
        // helpers that run only after the caller is done (a single-threaded executor)
        java.util.List<Runnable> later = new java.util.ArrayList<>();
        assertThat(new BlockHasher().hash(f, later::add)).isEqualTo(onePass);
        later.forEach(Runnable::run); // find nothing left to do
        Files.delete(f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFileThatShrinksWhileHashedInParallelIsHashedAsItIsNow() throws Exception {
    byte[] data = new byte[(int) BlockHasher.PARALLEL_FROM_BYTES * 2];
    new Random(3).nextBytes(data);
    Path f = Files.write(dir.resolve("shrinking"), data);
    long cut = BlockHasher.PARALLEL_FROM_BYTES + 5;
    HashedContent c = new BlockHasher().hash(f, helper -> {
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(cut); // before any run is hashed
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      helper.run();
    });
    assertThat(c.size()).isEqualTo(cut);
    assertThat(c).isEqualTo(new BlockHasher().hash(f));
  }

  @Test
  void aFileThatGrowsWhileHashedInParallelIsHashedAsItIsNow() throws Exception {
    byte[] data = new byte[(int) BlockHasher.PARALLEL_FROM_BYTES + 100];
    new Random(4).nextBytes(data);
    Path f = Files.write(dir.resolve("growing"), data);
    HashedContent c = new BlockHasher().hash(f, helper -> {
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(data.length + 3L);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      helper.run();
    });
    assertThat(c.size()).isEqualTo(data.length + 3L);
    assertThat(c).isEqualTo(new BlockHasher().hash(f));
  }
}
