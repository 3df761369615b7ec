package dev.jsync.net.internal;

import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline: whatever went wrong on a connection ends here, gets one
 * clear log line and closes that connection only. Garbage, oversize frames and invalid messages
 * get a {@code Close(PROTOCOL_ERROR)} first; broken TLS or TCP is just closed. One per channel.
 */
final class ErrorHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private final Connection connection;

  ErrorHandler(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Node node = connection.node;
    ProtocolException protocol = find(cause, ProtocolException.class);
    if (protocol != null) {
      if (connection.peer() != null) {
        LOG.warn("{} protocol error from {}: {}; closing", node.tag(), connection, protocol.getMessage());
      } else {
        // Anyone can connect and send garbage, as often as they like: such errors are logged at
        // the 1st, 2nd, 4th, 8th... occurrence, so a stranger cannot flood the log (or the disk).
        long n = node.strangerErrors.incrementAndGet();
        if (Long.bitCount(n) == 1) {
          LOG.warn("{} protocol error from {} before authentication: {}; closing ({} such so far)", node.tag(),
              connection, protocol.getMessage(), n);
        } else {
          LOG.debug("{} protocol error from {} before authentication: {}; closing", node.tag(), connection,
              protocol.getMessage());
        }
      }
      connection.close(CloseReason.PROTOCOL_ERROR, protocol.getMessage());
    } else if (find(cause, SSLException.class) != null) {
      LOG.debug("{} TLS failed with {}: {}", node.tag(), connection, find(cause, SSLException.class).getMessage());
      connection.abort(dev.jsync.core.DisconnectReason.PROTOCOL_ERROR, "TLS failed: " + cause.getMessage());
    } else if (find(cause, IOException.class) != null) {
      LOG.debug("{} connection {} failed: {}", node.tag(), connection, cause.toString());
      connection.abort("connection failed: " + cause.getMessage());
    } else {
      LOG.warn("{} unexpected error on {}; closing", node.tag(), connection, cause);
      connection.abort("internal error: " + cause);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // Every message is consumed by the phase handler in front; anything else is dropped.
    ReferenceCountUtil.release(msg);
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
