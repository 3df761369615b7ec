package dev.jsync.core.transport;

import dev.jsync.core.Sha256;
import java.util.Objects;

/**
 * The bytes of one block, sent along with an index update so the receiver needs no request for
 * it: a small file's whole content, announced while peers are connected. The receiver checks
 * the bytes against {@code hash} before it uses them, as it does any block; bytes that do not
 * match (the file changed after its scan) are dropped and the block is requested as usual.
 *
 * <p>The array is not copied: whoever makes one hands its array over and does not change it.
 *
 * @param hash the block's SHA-256, as the index record lists it
 * @param data the block's bytes
 */
public record InlineBlock(Sha256 hash, byte[] data) {

  public InlineBlock {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InlineBlock b && hash.equals(b.hash) && java.util.Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "InlineBlock[" + hash + ", " + data.length + " bytes]";
  }
}
