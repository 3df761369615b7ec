package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers peers' block requests: serves only what the local index says is there. A block is
 * sent only if
 * <ol>
 *   <li>the path is not ignored, and the index holds it as a live file;</li>
 *   <li>the index's block at the requested offset has the requested length and hash;</li>
 *   <li>the bytes read hash to that hash (SHA-256 of every block served);</li>
 *   <li>they were read without following a link, at the file or above it
 *       ({@link DiskView#openForReading}).</li>
 * </ol>
 * Otherwise the answer is {@link BlockError#CHANGED} (or {@code NO_SUCH_FILE} for a path that
 * is not a synced file here). A file swapped for a link, or a folder above it swapped for one,
 * therefore never hands a peer the bytes of what the link points to: a peer learns only bytes
 * whose hash the index already held for that path, bytes that were in the folder when scanned
 * or pulled.
 *
 * <p>A peer pulling a large file asks for thousands of its blocks, and reading its record from
 * the store decodes the whole block list; so a path's block list is kept. While the store's last
 * sequence is what it was when the list was read, the local index has not changed and the list
 * is exact. After that, a request the list matches is served from it for up to a second (the
 * bytes must still hash to the block, so at worst a block of a version a second old, still on
 * disk, is served); a request it does not match reads the record again. A peer asking for
 * blocks the index does not have therefore costs no store read unless the index changed.
 *
 * <p>Thread-safe: called on I/O threads, several at once. Does blocking I/O.
 */
final class BlockServer {

  /** How long a path's block list is trusted without asking the store again. */
  static final long KEEP_NANOS = 1_000_000_000L;
  /** Block lists kept at most; all are dropped when there are more. */
  static final int MAX_KEPT = 1024;

  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::newDigest);

  private final DiskView disk;
  private final IndexStore store;
  private final Supplier<IgnoreRules> ignores;
  private final LongSupplier nanoTime;
  private final Map<RelativePath, Kept> kept = new ConcurrentHashMap<>();

  /** A live file's block list as the store held it, when it was read and the store's last sequence then. */
  private record Kept(List<BlockInfo> blocks, long readNanos, long sequence) {}

  BlockServer(DiskView disk, IndexStore store, Supplier<IgnoreRules> ignores, LongSupplier nanoTime) {
    this.disk = disk;
    this.store = store;
    this.ignores = ignores;
    this.nanoTime = nanoTime;
  }

  BlockReply serve(BlockRequest request) {
    RelativePath path = request.path();
    if (request.length() > BlockInfo.SIZE) {
      return BlockReply.failure(BlockError.INVALID_REQUEST, "block longer than " + BlockInfo.SIZE);
    }
    if (ignores.get().isIgnoredWithAncestors(path, false)) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "ignored");
    }
    List<BlockInfo> blocks = blocks(path, request);
    if (blocks == null) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "not a file here");
    }
    if (!lists(blocks, request)) {
      return BlockReply.failure(BlockError.CHANGED, "not a block of the file's current version");
    }
    byte[] data = new byte[request.length()];
    try (DiskFile file = disk.openForReading(path)) {
      if (!file.readFully(ByteBuffer.wrap(data), request.offset())) {
        return BlockReply.failure(BlockError.CHANGED, "file is shorter now");
      }
    } catch (NoSuchFileException e) {
      return BlockReply.failure(BlockError.NO_SUCH_FILE, "gone");
    } catch (IOException e) {
      return linkInTheWay(path)
          ? BlockReply.failure(BlockError.CHANGED, "a link is in the way now")
          : BlockReply.failure(BlockError.IO_ERROR, String.valueOf(e.getMessage()));
    }
    MessageDigest md = DIGESTS.get();
    md.reset();
    if (!request.hash().matches(md.digest(data))) {
      return BlockReply.failure(BlockError.CHANGED, "content changed since the scan");
    }
    return BlockReply.data(data);
  }

  /** Whether the file, or a folder above it, is no longer what the index says (a link, say). */
  private boolean linkInTheWay(RelativePath path) {
    try {
      disk.checkNoLinkAbove(path);
      return disk.observe(path).map(o -> o.kind() != FileKind.FILE).orElse(false);
    } catch (IOException e) {
      return true;
    }
  }

  /** Whether {@code blocks} has, at the requested offset, a block of the requested length and hash. */
  private static boolean lists(List<BlockInfo> blocks, BlockRequest request) {
    if (request.offset() % BlockInfo.SIZE != 0) {
      return false;
    }
    long index = request.offset() / BlockInfo.SIZE;
    if (index >= blocks.size()) {
      return false;
    }
    BlockInfo block = blocks.get((int) index);
    return block.length() == request.length() && block.hash().equals(request.hash());
  }

  /**
   * The block list of the live file at {@code path} to judge {@code request} by, or null if the
   * index holds no live file there (see the class comment for when a kept list is used).
   */
  private List<BlockInfo> blocks(RelativePath path, BlockRequest request) {
    long now = nanoTime.getAsLong();
    long sequence = store.lastSequence(); // before the record: a change in between reads it again
    Kept k = kept.get(path);
    if (k != null && (k.sequence() == sequence || (now - k.readNanos() < KEEP_NANOS && lists(k.blocks(), request)))) {
      return k.blocks();
    }
    FileRecord record = store.local(path).map(LocalEntry::record).filter(FileRecord::isLiveFile).orElse(null);
    if (record == null) {
      kept.remove(path);
      return null;
    }
    if (kept.size() >= MAX_KEPT) {
      kept.clear();
    }
    kept.put(path, new Kept(record.blocks(), now, sequence));
    return record.blocks();
  }
}
