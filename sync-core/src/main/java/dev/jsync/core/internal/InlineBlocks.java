package dev.jsync.core.internal;

import dev.jsync.core.Sha256;
import dev.jsync.core.transport.InlineBlock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Block bytes that arrived with index records, kept until a pull takes them, by block hash.
 * Bounded by bytes, each block counted with {@link #ENTRY_OVERHEAD} on top of its data (so that
 * empty blocks count too, and there are at most {@code maxBytes / ENTRY_OVERHEAD} entries): the
 * oldest go first when it is full, and a pull that finds nothing here
 * requests the block as usual. Nothing in it is trusted: a pull checks the bytes against the
 * hash before writing them. Thread-safe (filled on the control thread, taken on I/O threads).
 */
final class InlineBlocks {

  /** What an entry costs besides its data: map node, hash object and its array, array header. */
  static final int ENTRY_OVERHEAD = 160;

  private final long maxBytes;
  private final Map<Sha256, byte[]> blocks = new LinkedHashMap<>();
  private long bytes;

  InlineBlocks(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized void addAll(List<InlineBlock> arrived) {
    for (InlineBlock b : arrived) {
      if (cost(b.data()) > maxBytes) {
        continue;
      }
      byte[] old = blocks.remove(b.hash());
      if (old != null) {
        bytes -= cost(old);
      }
      blocks.put(b.hash(), b.data());
      bytes += cost(b.data());
    }
    Iterator<byte[]> oldest = blocks.values().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      bytes -= cost(oldest.next());
      oldest.remove();
    }
  }

  /** Removes and returns the bytes sent for {@code hash}, or null. */
  synchronized byte[] take(Sha256 hash) {
    byte[] data = blocks.remove(hash);
    if (data != null) {
      bytes -= cost(data);
    }
    return data;
  }

  synchronized void clear() {
    blocks.clear();
    bytes = 0;
  }

  /** What the blocks held cost, overhead included: above zero whenever any block is held. */
  synchronized long bytes() {
    return bytes;
  }

  /** How many blocks are held. */
  synchronized int size() {
    return blocks.size();
  }

  private static long cost(byte[] data) {
    return ENTRY_OVERHEAD + (long) data.length;
  }
}
