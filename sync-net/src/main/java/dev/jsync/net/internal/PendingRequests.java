package dev.jsync.net.internal;

import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.protocol.BlockRequestMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The block requests this node has made on one link: those in flight (by request id) and those
 * waiting for room. Requests are pipelined: as many go out as fit under {@code maxBytesInFlight}
 * of requested data (at least one at a time), the rest wait here in order; beyond
 * {@code maxQueued} waiting, a new request is answered {@code BUSY} at once rather than queued
 * without limit. When the link closes, every request fails.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
final class PendingRequests {

  private record Entry(BlockRequest request, CompletableFuture<BlockReply> future) {
  }

  private final long maxBytesInFlight;
  private final int maxQueued;
  private final Consumer<BlockRequestMessage> send;
  private final Runnable flush;
  private final Map<Long, Entry> inFlight = new HashMap<>();
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
  private long bytesInFlight;
  private long nextId = 1;
  private RuntimeException closed;

  /**
   * @param send writes one request (without flushing)
   * @param flush flushes what was written
   */
  PendingRequests(long maxBytesInFlight, int maxQueued, Consumer<BlockRequestMessage> send, Runnable flush) {
    this.maxBytesInFlight = maxBytesInFlight;
    this.maxQueued = maxQueued;
    this.send = send;
    this.flush = flush;
  }

  void submit(BlockRequest request, CompletableFuture<BlockReply> future) {
    if (closed != null) {
      future.completeExceptionally(closed);
    } else if (waiting.size() >= maxQueued) {
      future.complete(BlockReply.failure(BlockError.BUSY, "more than " + maxQueued + " requests waiting locally"));
    } else {
      waiting.add(new Entry(request, future));
      drain();
    }
  }

  /** Completes request {@code id}; false if no such request is in flight. */
  boolean complete(long id, BlockReply reply) {
    Entry e = inFlight.remove(id);
    if (e == null) {
      return false;
    }
    bytesInFlight -= e.request.length();
    e.future.complete(reply);
    drain();
    return true;
  }

  /** Fails everything, now and later, with {@code cause}. */
  void closeAll(RuntimeException cause) {
    closed = cause;
    List<Entry> all = new ArrayList<>(inFlight.values());
    all.addAll(waiting);
    inFlight.clear();
    waiting.clear();
    bytesInFlight = 0;
    all.forEach(e -> e.future.completeExceptionally(cause));
  }

  int inFlight() {
    return inFlight.size();
  }

  int waiting() {
    return waiting.size();
  }

  long bytesInFlight() {
    return bytesInFlight;
  }

  private void drain() {
    boolean sent = false;
    while (!waiting.isEmpty()
        && (inFlight.isEmpty() || bytesInFlight + waiting.peek().request.length() <= maxBytesInFlight)) {
      Entry e = waiting.poll();
      long id = nextId++;
      inFlight.put(id, e);
      bytesInFlight += e.request.length();
      send.accept(new BlockRequestMessage(id, e.request));
      sent = true;
    }
    if (sent) {
      flush.run();
    }
  }
}
