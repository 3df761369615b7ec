package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.TransportHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One end of a connection in a network fake: the {@link PeerLink} its device's engine holds.
 * The flow of a request (refused once closed, counted, carried to the other end, handed to that
 * engine if it still takes messages, answered at most once, the answer carried back) and the
 * life of the replies still awaited are the same in every fake; how a message travels, when a
 * reply counts and how a disconnect is told are each network's own ({@link InMemoryNetwork}
 * hands messages to an executor, {@link SimulatedNetwork} to a simulated TCP connection).
 *
 * <p>Thread-safe as far as its subclass's {@link #carry} is.
 */
abstract class LinkEnd implements PeerLink {

  /** The size the simulated network charges for a message without data. */
  static final long HEADER_BYTES = 64;

  /** Block requests sent and not answered yet, in the order they were made. */
  private final Set<CompletableFuture<BlockReply>> pending = new LinkedHashSet<>();
  private volatile boolean closed;

  /** The other end of this connection. */
  abstract LinkEnd other();

  /** The device at this end. */
  abstract DeviceId device();

  /** The engine at this end. */
  abstract TransportHandler handler();

  /** What this end's network counts. */
  abstract TrafficCounters counters();

  /** Whether a message arriving at this end now still reaches its engine. */
  abstract boolean accepting();

  /** Carries a message of about {@code bytes} bytes from this end to the other, to run {@code deliver} there. */
  abstract void carry(long bytes, Runnable deliver);

  /**
   * Carries this end's {@code reply} to a request of the other end's, to run {@code deliver}
   * there; counts it if this network counts replies as they are sent.
   */
  abstract void carryReply(BlockRequest request, BlockReply reply, Runnable deliver);

  /** A reply reached this end and completes a pending request; counts it if this network counts replies on delivery. */
  void replyDelivered(BlockRequest request, BlockReply reply) {}

  /** A request of this end's arrived after the other end closed. */
  void requestLost(CompletableFuture<BlockReply> reply) {}

  /** Tells this end's engine that the link closed (once the link is closed and its pending requests failed). */
  abstract void tellDisconnected(String reason);

  final boolean isClosed() {
    return closed;
  }

  @Override
  public final DeviceId peer() {
    return other().device();
  }

  @Override
  public final void requestIndexFrom(long indexEpoch, long afterSequence) {
    if (closed) {
      return;
    }
    counters().indexRequest();
    carry(HEADER_BYTES, () -> {
      LinkEnd o = other();
      if (o.accepting()) {
        o.handler().indexRequested(o, indexEpoch, afterSequence);
      }
    });
  }

  @Override
  public final CompletionStage<BlockReply> requestBlock(BlockRequest request) {
    CompletableFuture<BlockReply> reply = new CompletableFuture<>();
    if (closed) {
      reply.completeExceptionally(new LinkClosedException("link closed"));
      return reply;
    }
    counters().blockRequest();
    synchronized (pending) {
      pending.add(reply);
    }
    carry(HEADER_BYTES, () -> {
      LinkEnd o = other();
      if (!o.accepting()) {
        requestLost(reply);
        return;
      }
      boolean[] answered = new boolean[1];
      Consumer<BlockReply> answer = r -> {
        if (answered[0]) {
          throw new IllegalStateException("block request answered twice: " + request);
        }
        answered[0] = true;
        Objects.requireNonNull(r, "reply");
        o.carryReply(request, r, () -> {
          if (!closed && removePending(reply)) {
            replyDelivered(request, r);
            reply.complete(r);
          }
        });
      };
      o.handler().blockRequested(o, request, answer);
    });
    return reply;
  }

  /** Fails one pending request: the link closed under it. */
  final void failPending(CompletableFuture<BlockReply> reply) {
    removePending(reply);
    reply.completeExceptionally(new LinkClosedException("link closed"));
  }

  private boolean removePending(CompletableFuture<BlockReply> reply) {
    synchronized (pending) {
      return pending.remove(reply);
    }
  }

  /**
   * Closes this end as the network saw the connection end: fails every pending request (in the
   * order they were made), then tells the engine. Idempotent.
   */
  final void closeLocally(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    List<CompletableFuture<BlockReply>> fail;
    synchronized (pending) {
      fail = new ArrayList<>(pending);
      pending.clear();
    }
    for (CompletableFuture<BlockReply> f : fail) {
      f.completeExceptionally(new LinkClosedException("link closed: " + reason));
    }
    tellDisconnected(reason);
  }
}
