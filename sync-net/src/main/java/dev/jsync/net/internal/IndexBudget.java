package dev.jsync.net.internal;

import dev.jsync.core.FileRecord;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import io.netty.channel.Channel;
import java.util.concurrent.CompletionStage;

/**
 * The memory budget of one connection for index batches decoded but not yet applied by the
 * engine. The engine applies batches on its single control thread; a peer that sends them faster
 * than that would otherwise fill the engine's queue without bound. Each batch is charged its
 * estimated heap size ({@link #heapBytes}) when it is handed over, and refunded when the stage
 * returned by {@code indexReceived} completes; while the charge exceeds the budget the
 * connection stops reading ({@link ReadGate#INDEX_BUDGET}), so TCP slows the peer down. At most
 * what one read had already buffered (a frame) goes over the budget.
 *
 * <p>One per link; event-loop confined (refunds are moved onto the event loop).
 */
final class IndexBudget {

  /** Object headers, references and fields of a record with nothing in it (estimate). */
  static final int RECORD_OVERHEAD = 512;
  /** A block of a record: its {@code BlockInfo}, hash object and 32-byte array, a list slot. */
  static final int BLOCK_BYTES = 112;
  /** A version vector entry: a device id and its array, a counter, an array slot. */
  static final int VERSION_ENTRY_BYTES = 96;
  /** An inline block without its data: the record, hash object and array headers. */
  static final int INLINE_OVERHEAD = 128;

  private final Channel channel;
  private final long maxBytes;
  private long pendingBytes;

  IndexBudget(Channel channel, long maxBytes) {
    this.channel = channel;
    this.maxBytes = maxBytes;
  }

  /**
   * Charges {@code update} until {@code applied} completes (normally or not), pausing reads while
   * over budget.
   */
  void charge(IndexUpdate update, CompletionStage<Void> applied) {
    long cost = heapBytes(update);
    pendingBytes += cost;
    if (pendingBytes > maxBytes) {
      ReadGate.pause(channel, ReadGate.INDEX_BUDGET);
    }
    applied.whenComplete((ok, failed) -> {
      if (channel.eventLoop().inEventLoop()) {
        refund(cost);
      } else {
        channel.eventLoop().execute(() -> refund(cost));
      }
    });
  }

  private void refund(long cost) {
    pendingBytes -= cost;
    if (pendingBytes <= maxBytes && ReadGate.pausedFor(channel, ReadGate.INDEX_BUDGET)) {
      ReadGate.resume(channel, ReadGate.INDEX_BUDGET);
    }
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** An estimate of the heap {@code update} holds once decoded (upper side, for 64-bit JVMs). */
  static long heapBytes(IndexUpdate update) {
    long bytes = 0;
    for (FileRecord r : update.records()) {
      bytes += RECORD_OVERHEAD + 2L * r.path().toString().length() + 2L * r.symlinkTarget().length()
          + (long) BLOCK_BYTES * r.blocks().size() + (long) VERSION_ENTRY_BYTES * r.version().size();
    }
    for (InlineBlock b : update.inline()) {
      bytes += INLINE_OVERHEAD + b.data().length;
    }
    return bytes;
  }
}
