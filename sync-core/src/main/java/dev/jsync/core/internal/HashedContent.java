package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Sha256;
import java.security.MessageDigest;
import java.util.List;

/**
 * A file's content as jSync identifies it: its blocks and the content hash.
 *
 * <p>The content hash is the SHA-256 of the concatenated block hashes, in order. It identifies
 * the whole content as surely as a hash of the bytes would (a collision in it needs a collision
 * in SHA-256), costs nothing beyond the block hashes, and can be checked against a block list
 * received from a peer without reading any data. An empty file's content hash is the hash of
 * zero bytes.
 */
public record HashedContent(long size, List<BlockInfo> blocks, Sha256 contentHash) {

  /** The content hash of a block list. */
  public static Sha256 contentHashOf(List<BlockInfo> blocks) {
    MessageDigest md = Sha256.newDigest();
    for (BlockInfo b : blocks) {
      md.update(b.hash().toBytes());
    }
    return Sha256.finish(md);
  }
}
