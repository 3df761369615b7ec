package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one file version in a hidden temp file next to its final path, block by block: first
 * from a temp file left by an interrupted download, then from blocks already somewhere in the
 * folder, and only the rest from peers. Every block is checked against its hash before it is
 * written, so the temp file holds only verified data and an interrupted download resumes from
 * it.
 *
 * <p>The temp file's name depends on the final name and the target content, so a resumed
 * download of the same version finds it and a different version does not:
 * {@code .jsync-tmp-<8 hex of name hash>-<16 hex of content hash>}.
 *
 * <p>Methods do blocking I/O and are called on I/O threads; {@link #write} may run on several
 * at once (positional writes to one channel).
 */
final class FileAssembly implements AutoCloseable {

  private final DiskView disk;
  private final IndexStore store;
  private final FileRecord target;
  private final Path temp;
  private FileChannel channel;
  long bytesReused;

  FileAssembly(DiskView disk, IndexStore store, FileRecord target) {
    this.disk = disk;
    this.store = store;
    this.target = target;
    this.temp = disk.resolve(target.path()).resolveSibling(tempName(target));
  }

  static String tempName(FileRecord target) {
    String nameHash = Sha256.of(target.path().name().getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    return RelativePath.TEMP_PREFIX + nameHash + "-" + target.contentHash().toString().substring(0, 16);
  }

  Path temp() {
    return temp;
  }

  /**
   * Opens (or reopens) the temp file and fills in every block available locally.
   *
   * @return the blocks that must come from a peer
   */
  List<BlockInfo> prepare() throws IOException {
    channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long existing = channel.size();
    ByteBuffer buf = ByteBuffer.allocate(BlockInfo.SIZE);
    MessageDigest md = Sha256.newDigest();
    List<BlockInfo> missing = new ArrayList<>();
    for (BlockInfo block : target.blocks()) {
      if (block.offset() + block.length() <= existing && readMatches(channel, block.offset(), block, buf, md)) {
        bytesReused += block.length();
        continue;
      }
      if (copyFromLocal(block, buf, md)) {
        bytesReused += block.length();
        continue;
      }
      missing.add(block);
    }
    return missing;
  }

  private boolean copyFromLocal(BlockInfo block, ByteBuffer buf, MessageDigest md) throws IOException {
    for (BlockLocation loc : store.blockLocations(block.hash(), 4)) {
      if (loc.length() != block.length()) {
        continue;
      }
      try (FileChannel src = FileChannel.open(disk.resolve(loc.path()), StandardOpenOption.READ)) {
        if (readMatches(src, loc.offset(), block, buf, md)) {
          buf.flip();
          writeFully(buf, block.offset());
          return true;
        }
      } catch (NoSuchFileException | SecurityException e) {
        // The index's hint is stale; try the next place, or the network.
      }
    }
    return false;
  }

  /** Reads {@code block.length()} bytes at {@code offset} into {@code buf}; true if they hash right. */
  private static boolean readMatches(FileChannel ch, long offset, BlockInfo block, ByteBuffer buf, MessageDigest md)
      throws IOException {
    buf.clear().limit(block.length());
    long pos = offset;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r < 0) {
        return false;
      }
      pos += r;
    }
    md.reset();
    md.update(buf.array(), 0, block.length());
    return block.hash().matches(md.digest());
  }

  /**
   * Writes a block received from a peer, after checking it.
   *
   * @return false if the bytes do not match the block's hash (nothing is written)
   */
  boolean write(BlockInfo block, byte[] data) throws IOException {
    if (data.length != block.length()) {
      return false;
    }
    MessageDigest md = Sha256.newDigest();
    if (!block.hash().matches(md.digest(data))) {
      return false;
    }
    writeFully(ByteBuffer.wrap(data), block.offset());
    return true;
  }

  private void writeFully(ByteBuffer buf, long offset) throws IOException {
    FileChannel ch = channel;
    if (ch == null) {
      // The pull failed and closed the file while this block was on its way.
      throw new IOException("the download was abandoned");
    }
    long pos = offset;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  /**
   * Completes the temp file: exact length, flushed to disk, modification time and executable
   * bit set. Afterwards the temp file is ready to be renamed into place.
   */
  void finish() throws IOException {
    channel.truncate(target.size());
    channel.force(true);
    channel.close();
    channel = null;
    disk.setExecutable(temp, target.executable());
    disk.setModified(temp, target.modifiedNanos());
  }

  /** Closes the temp file, keeping it for a later resume. */
  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing useful to do; the temp file is only a cache.
      }
      channel = null;
    }
  }
}
