package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes a file block by block. Memory stays at one block buffer whatever the file size
 * (files over 4 GiB included). Not thread-safe: one instance per thread, reused across files.
 */
public final class BlockHasher {

  private final ByteBuffer buffer = ByteBuffer.allocate(BlockInfo.SIZE);
  private final MessageDigest blockDigest = Sha256.newDigest();
  private final MessageDigest listDigest = Sha256.newDigest();

  /** Reads {@code file} to its end and returns its blocks and content hash. */
  public HashedContent hash(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return hash(ch);
    }
  }

  /** Reads {@code ch} from position 0 to its end. */
  public HashedContent hash(FileChannel ch) throws IOException {
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
  private int readBlock(FileChannel ch, long offset) throws IOException {
    buffer.clear();
    long pos = offset;
    while (buffer.hasRemaining()) {
      int r = ch.read(buffer, pos);
      if (r < 0) {
        break;
      }
      pos += r;
    }
    return buffer.position();
  }
}
