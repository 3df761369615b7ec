package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Sha256;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.disk.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Hashes a file block by block. Memory stays at one block buffer whatever the file size
 * (files over 4 GiB included). Not thread-safe: one instance per thread, reused across files.
 *
 * <p>A large file may be hashed by several threads ({@link #hash(DiskFile, Executor)}): it is cut
 * into runs of {@value #RUN_BLOCKS} blocks, which the calling thread and helpers on the given
 * executor claim one at a time. The caller never waits for a run nobody has claimed, so a busy or
 * single-threaded executor only means the caller hashes more of it itself.
 */
public final class BlockHasher {

  /** Files from this size on are hashed in parallel when an executor is given. */
  static final long PARALLEL_FROM_BYTES = 16L << 20;
  /** Blocks per run claimed by one thread at a time: 8 MiB. */
  static final int RUN_BLOCKS = 64;

  private final ByteBuffer buffer = ByteBuffer.allocate(BlockInfo.SIZE);
  private final MessageDigest blockDigest = Sha256.newDigest();
  private final MessageDigest listDigest = Sha256.newDigest();

  /** Reads {@code file} to its end and returns its blocks and content hash. */
  public HashedContent hash(Path file) throws IOException {
    try (DiskFile ch = Disks.system().openForHashing(file)) {
      return hash(ch);
    }
  }

  /**
   * Reads {@code file} to its end and returns its blocks and content hash, with helpers from
   * {@code helpers} (see {@link ClaimedRuns}) if the file is large. The result is the same as
   * {@link #hash(Path)}'s.
   */
  public HashedContent hash(Path file, Executor helpers) throws IOException {
    try (DiskFile ch = Disks.system().openForHashing(file)) {
      return hash(ch, helpers);
    }
  }

  /**
   * Reads {@code ch} from position 0 to its end and returns its blocks and content hash, with
   * helpers from {@code helpers} (see {@link ClaimedRuns}) if the file is large; the same result
   * as {@link #hash(DiskFile)}'s.
   */
  public HashedContent hash(DiskFile ch, Executor helpers) throws IOException {
    long size = ch.size();
    if (size < PARALLEL_FROM_BYTES || helpers == null || ClaimedRuns.helpers() < 1
        || BlockInfo.count(size) > Integer.MAX_VALUE - RUN_BLOCKS) {
      return hash(ch);
    }
    HashedContent parallel = hashInRuns(ch, size, helpers);
    // A file that changed size meanwhile: hash what is there now, once more, in one pass
    // (the scanner compares the result with the file's attributes before and after anyway).
    return parallel != null ? parallel : hash(ch);
  }

  /** The content of a file {@code size} bytes long, or null if it turned out not to be. */
  private static HashedContent hashInRuns(DiskFile ch, long size, Executor helpers) throws IOException {
    int blockCount = (int) BlockInfo.count(size);
    Sha256[] hashes = new Sha256[blockCount];
    int runs = (blockCount + RUN_BLOCKS - 1) / RUN_BLOCKS;
    try {
      ClaimedRuns.run(runs, helpers, RunState::new,
          (run, state) -> hashRun(ch, size, run, hashes, state.buf, state.digest));
    } catch (ShortRead e) {
      return null;
    }
    List<BlockInfo> blocks = new ArrayList<>(blockCount);
    for (int i = 0; i < blockCount; i++) {
      long offset = (long) i * BlockInfo.SIZE;
      blocks.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset), hashes[i]));
    }
    return new HashedContent(size, List.copyOf(blocks), HashedContent.contentHashOf(blocks));
  }

  /** A hashing thread's buffer and digest. */
  private static final class RunState implements AutoCloseable {
    final ByteBuffer buf = ByteBuffer.allocate(BlockInfo.SIZE);
    final MessageDigest digest = Sha256.newDigest();

    @Override
    public void close() {}
  }

  private static void hashRun(DiskFile ch, long size, int run, Sha256[] hashes, ByteBuffer buf,
      MessageDigest digest) throws IOException {
    int first = run * RUN_BLOCKS;
    int end = Math.min(hashes.length, first + RUN_BLOCKS);
    for (int i = first; i < end; i++) {
      long offset = (long) i * BlockInfo.SIZE;
      int length = (int) Math.min(BlockInfo.SIZE, size - offset);
      buf.clear().limit(length);
      if (fill(ch, buf, offset) < length) {
        throw new ShortRead();
      }
      digest.reset();
      digest.update(buf.array(), 0, length);
      hashes[i] = Sha256.fromBytes(digest.digest());
    }
    if (end == hashes.length) {
      // The file must end where it did when the hash began: a longer one is another content.
      buf.clear().limit(1);
      if (ch.read(buf, size) > 0) {
        throw new ShortRead();
      }
    }
  }

  /** The file is not {@code size} bytes long any more. */
  private static final class ShortRead extends IOException {
    private static final long serialVersionUID = 1L;

    ShortRead() {
      super("file changed size while hashed");
    }
  }

  /** Reads {@code ch} from position 0 to its end. */
  public HashedContent hash(DiskFile ch) throws IOException {
    List<BlockInfo> blocks = new ArrayList<>();
    listDigest.reset();
    long offset = 0;
    while (true) {
      int n = readBlock(ch, offset);
      if (n == 0) {
        break;
      }
      blockDigest.reset();
      blockDigest.update(buffer.array(), 0, n);
      byte[] digest = blockDigest.digest();
      listDigest.update(digest);
      blocks.add(new BlockInfo(offset, n, Sha256.fromBytes(digest)));
      offset += n;
      if (n < BlockInfo.SIZE) {
        break;
      }
    }
    return new HashedContent(offset, List.copyOf(blocks), Sha256.fromBytes(listDigest.digest()));
  }

  /** Fills the buffer from {@code offset} with up to one block; returns the bytes read. */
  private int readBlock(DiskFile ch, long offset) throws IOException {
    buffer.clear();
    return fill(ch, buffer, offset);
  }

  /** Reads from {@code offset} until {@code buf} is full or the file ends; returns its position. */
  private static int fill(DiskFile ch, ByteBuffer buf, long offset) throws IOException {
    ch.readFully(buf, offset);
    return buf.position();
  }
}
