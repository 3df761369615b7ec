package dev.jsync.core.internal;

import dev.jsync.core.Sha256;
import dev.jsync.core.transport.InlineBlock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Block bytes that arrived with index records, kept until a pull takes them, by block hash.
 * Bounded by bytes: the oldest go first when it is full, and a pull that finds nothing here
 * requests the block as usual. Nothing in it is trusted: a pull checks the bytes against the
 * hash before writing them. Thread-safe (filled on the control thread, taken on I/O threads).
 */
final class InlineBlocks {

  private final long maxBytes;
  private final Map<Sha256, byte[]> blocks = new LinkedHashMap<>();
  private long bytes;

  InlineBlocks(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized void addAll(List<InlineBlock> arrived) {
    for (InlineBlock b : arrived) {
      if (b.data().length > maxBytes) {
        continue;
      }
      byte[] old = blocks.remove(b.hash());
      if (old != null) {
        bytes -= old.length;
      }
      blocks.put(b.hash(), b.data());
      bytes += b.data().length;
    }
    Iterator<byte[]> oldest = blocks.values().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      bytes -= oldest.next().length;
      oldest.remove();
    }
  }

  /** Removes and returns the bytes sent for {@code hash}, or null. */
  synchronized byte[] take(Sha256 hash) {
    byte[] data = blocks.remove(hash);
    if (data != null) {
      bytes -= data.length;
    }
    return data;
  }

  synchronized void clear() {
    blocks.clear();
    bytes = 0;
  }

  synchronized long bytes() {
    return bytes;
  }
}
