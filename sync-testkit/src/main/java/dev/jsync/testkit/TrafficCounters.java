package dev.jsync.testkit;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the engines sent across a network fake, counted so that a test can assert that a
 * converged cluster sends nothing. Each network decides when a message counts (when sent, or
 * when delivered) and says so on its accessors.
 *
 * <p>Thread-safe.
 */
final class TrafficCounters {

  private final AtomicLong indexRecords = new AtomicLong();
  private final AtomicLong indexBatches = new AtomicLong();
  private final AtomicLong indexRequests = new AtomicLong();
  private final AtomicLong blockRequests = new AtomicLong();
  private final AtomicLong blockBytes = new AtomicLong();
  private final AtomicLong inlineBytes = new AtomicLong();
  private final Map<RelativePath, Long> blockBytesByPath = new TreeMap<>();
  private final Map<RelativePath, Long> inlineBytesByPath = new TreeMap<>();

  /** One index batch, its records and the inline blocks it carries. */
  void indexBatch(IndexUpdate update) {
    indexBatches.incrementAndGet();
    indexRecords.addAndGet(update.records().size());
    // Each inline block counts for the paths of the records that list it.
    for (InlineBlock ib : update.inline()) {
      inlineBytes.addAndGet(ib.data().length);
      for (FileRecord r : update.records()) {
        for (BlockInfo b : r.blocks()) {
          if (b.hash().equals(ib.hash())) {
            synchronized (inlineBytesByPath) {
              inlineBytesByPath.merge(r.path(), (long) ib.data().length, Long::sum);
            }
            break;
          }
        }
      }
    }
  }

  void indexRequest() {
    indexRequests.incrementAndGet();
  }

  void blockRequest() {
    blockRequests.incrementAndGet();
  }

  /** A reply to a request for a block of {@code path}: counts its data, if it has any. */
  void blockReply(RelativePath path, BlockReply reply) {
    if (reply instanceof BlockReply.Data d) {
      blockBytes.addAndGet(d.bytes().length);
      synchronized (blockBytesByPath) {
        blockBytesByPath.merge(path, (long) d.bytes().length, Long::sum);
      }
    }
  }

  long indexRecords() {
    return indexRecords.get();
  }

  long indexBatches() {
    return indexBatches.get();
  }

  long indexRequests() {
    return indexRequests.get();
  }

  long blockRequests() {
    return blockRequests.get();
  }

  long blockBytes() {
    return blockBytes.get();
  }

  long inlineBytes() {
    return inlineBytes.get();
  }

  long blockBytes(RelativePath path) {
    synchronized (blockBytesByPath) {
      return blockBytesByPath.getOrDefault(path, 0L);
    }
  }

  long inlineBytes(RelativePath path) {
    synchronized (inlineBytesByPath) {
      return inlineBytesByPath.getOrDefault(path, 0L);
    }
  }
}
