package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.protocol.BlockRequestMessage;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.IndexRequestMessage;
import dev.jsync.protocol.IndexSplitter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of one up connection. Calls return at once from any thread; the work runs on
 * the channel's event loop. Outgoing block requests are pipelined through {@link PendingRequests};
 * incoming ones are served at most {@code maxServedRequests} at a time, the excess answered
 * {@code BUSY} at once, so a flood of requests costs a bounded amount of memory.
 *
 * <p>Thread-safe.
 */
final class NettyPeerLink implements PeerLink {

  private static final Logger LOG = LoggerFactory.getLogger(NettyPeerLink.class);

  private final Connection connection;
  private final Channel channel;
  private final PendingRequests pending;
  private volatile String closedReason;
  /** Requests from the peer handed to the engine and not yet answered; event loop only. */
  private int serving;
  private boolean warnedBusy;

  NettyPeerLink(Connection connection) {
    this.connection = connection;
    this.channel = connection.channel;
    this.pending = new PendingRequests(connection.node.limits.maxRequestBytesInFlight(),
        connection.node.limits.maxQueuedRequests(), channel::write, channel::flush);
  }

  /** The connection's channel (for tests that must put raw frames on the wire). */
  Channel channel() {
    return channel;
  }

  @Override
  public DeviceId peer() {
    return connection.peer();
  }

  @Override
  public java.util.Optional<String> dialedAddress() {
    return connection.role == Role.DIALER ? java.util.Optional.ofNullable(channel.attr(Connection.TARGET).get())
        : java.util.Optional.empty();
  }

  @Override
  public CompletionStage<Void> sendIndex(IndexUpdate update) {
    if (closedReason != null) {
      return CompletableFuture.failedFuture(closedException());
    }
    List<IndexUpdate> batches;
    try {
      batches = IndexSplitter.split(update, connection.node.limits.maxFrameBytes());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    ChannelFuture last = null;
    for (IndexUpdate batch : batches) {
      last = channel.write(new IndexMessage(batch));
    }
    channel.flush();
    last.addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(closedReason != null || !channel.isActive() ? closedException() : f.cause());
      }
    });
    return done;
  }

  @Override
  public CompletionStage<BlockReply> requestBlock(BlockRequest request) {
    CompletableFuture<BlockReply> reply = new CompletableFuture<>();
    if (request.length() > dev.jsync.protocol.Protocol.MAX_BLOCK_BYTES) {
      reply.complete(BlockReply.failure(BlockError.INVALID_REQUEST, "a request is at most one block"));
      return reply;
    }
    try {
      channel.eventLoop().execute(() -> pending.submit(request, reply));
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(closedException());
    }
    return reply;
  }

  @Override
  public void requestIndexFrom(long indexEpoch, long afterSequence) {
    if (closedReason == null) {
      channel.writeAndFlush(new IndexRequestMessage(indexEpoch, afterSequence));
    }
  }

  @Override
  public void close(String reason) {
    connection.close(CloseReason.SHUTDOWN, reason);
  }

  PendingRequests pending() {
    return pending;
  }

  /** A request from the peer: to the engine, or {@code BUSY} if too many are being served. Event loop. */
  void serve(BlockRequestMessage message) {
    long id = message.requestId();
    if (serving >= connection.node.limits.maxServedRequests()) {
      if (!warnedBusy) {
        warnedBusy = true;
        LOG.warn("{} {} has more than {} block requests outstanding; answering BUSY to the excess",
            connection.node.tag(), connection, connection.node.limits.maxServedRequests());
      }
      channel.writeAndFlush(new BlockResponseMessage(id, BlockReply.failure(BlockError.BUSY, "too many requests")));
      return;
    }
    serving++;
    AtomicBoolean answered = new AtomicBoolean();
    Consumer<BlockReply> answer = r -> {
      if (!answered.compareAndSet(false, true)) {
        LOG.warn("{} engine answered block request {} twice; ignoring the second", connection.node.tag(), id);
        return;
      }
      BlockResponseMessage response;
      try {
        response = new BlockResponseMessage(id, r);
      } catch (IllegalArgumentException | NullPointerException e) {
        response = new BlockResponseMessage(id, BlockReply.failure(BlockError.IO_ERROR, "bad reply: " + e.getMessage()));
      }
      BlockResponseMessage out = response;
      try {
        channel.eventLoop().execute(() -> {
          serving--;
          if (closedReason == null) {
            channel.writeAndFlush(out);
          }
        });
      } catch (RejectedExecutionException e) {
        // The transport is shut down; the answer has nowhere to go.
      }
    };
    try {
      connection.node.handler.blockRequested(this, message.request(), answer);
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on a block request from {}", connection.node.tag(), connection, e);
      answer.accept(BlockReply.failure(BlockError.IO_ERROR, "internal error"));
    }
  }

  /** The connection closed: every pending request fails. Event loop. */
  void onClosed(String reason) {
    closedReason = reason;
    pending.closeAll(closedException());
  }

  private LinkClosedException closedException() {
    return new LinkClosedException("link to " + connection + " closed: " + closedReason);
  }

  @Override
  public String toString() {
    return "NettyPeerLink[" + connection + "]";
  }
}
