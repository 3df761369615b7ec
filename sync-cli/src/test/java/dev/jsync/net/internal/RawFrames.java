package dev.jsync.net.internal;

import dev.jsync.core.transport.PeerLink;
import io.netty.buffer.Unpooled;

/**
 * Puts a raw frame payload on an up connection, below the message encoder: what a peer with its
 * own implementation of the protocol could send, including what jSync's own types refuse to
 * represent (paths a {@code RelativePath} rejects). For the hostile-peer tests only; it lives
 * in this package to reach the link's channel.
 */
public final class RawFrames {

  private RawFrames() {
  }

  /** Sends {@code payload} (an encoded {@code Envelope}) on {@code link}, framed as usual. */
  public static void send(PeerLink link, byte[] payload) {
    ((NettyPeerLink) link).channel().writeAndFlush(Unpooled.wrappedBuffer(payload));
  }
}
