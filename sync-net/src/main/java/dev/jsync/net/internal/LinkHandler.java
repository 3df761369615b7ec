package dev.jsync.net.internal;

import dev.jsync.protocol.BlockRequestMessage;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.IndexRequestMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.Ping;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session phase: routes each message of an up link. Index batches go to the engine (within
 * the connection's {@link IndexBudget}: reading pauses while too many are still unapplied), block
 * requests to {@link NettyPeerLink#serve}, responses to their pending request; a response
 * nobody asked for, or a handshake message now, is a protocol error that closes the connection.
 *
 * <p>One per channel; event-loop confined.
 */
final class LinkHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(LinkHandler.class);

  private final Connection connection;
  private final NettyPeerLink link;
  private final IndexBudget budget;

  LinkHandler(Connection connection, NettyPeerLink link) {
    this.connection = connection;
    this.link = link;
    this.budget = new IndexBudget(connection.channel, connection.node.limits.maxPendingIndexBytes());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message m)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Node node = connection.node;
    if (m instanceof IndexMessage index) {
      try {
        budget.charge(index.update(), node.handler.indexReceived(link, index.update()));
      } catch (RuntimeException e) {
        LOG.warn("{} handler failed on an index batch from {}", node.tag(), connection, e);
        connection.close(CloseReason.SHUTDOWN, "internal error");
      }
    } else if (m instanceof IndexRequestMessage request) {
      try {
        node.handler.indexRequested(link, request.indexEpoch(), request.afterSequence());
      } catch (RuntimeException e) {
        LOG.warn("{} handler failed on an index request from {}", node.tag(), connection, e);
        connection.close(CloseReason.SHUTDOWN, "internal error");
      }
    } else if (m instanceof BlockRequestMessage request) {
      link.serve(request);
    } else if (m instanceof BlockResponseMessage response) {
      if (!link.pending().complete(response.requestId(), response.reply())) {
        LOG.warn("{} {} answered request {} that is not in flight; closing", node.tag(), connection,
            Long.toUnsignedString(response.requestId()));
        connection.close(CloseReason.PROTOCOL_ERROR,
            "response for unknown request id " + Long.toUnsignedString(response.requestId()));
      }
    } else if (m instanceof Ping) {
      // Only resets the idle timer in front of us.
    } else if (m instanceof Close close) {
      connection.peerClosed(close);
    } else {
      String kind = m.getClass().getSimpleName();
      LOG.warn("{} {} sent {} after the handshake; closing", node.tag(), connection, kind);
      connection.close(CloseReason.PROTOCOL_ERROR, "unexpected " + kind + " after the handshake");
    }
  }
}
