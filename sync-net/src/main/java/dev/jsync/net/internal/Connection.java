package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer through all its phases (TLS, authentication, hellos, link), held
 * as an attribute of its channel. It knows who dialed, who the peer is once authenticated, its
 * link once up, and the first reason anyone gave for closing it. When the channel closes it
 * leaves the registry, fails the link's pending requests and tells the engine.
 *
 * <p>Thread-safe: fields written on the event loop, read anywhere.
 */
final class Connection {

  static final AttributeKey<Connection> KEY = AttributeKey.valueOf("jsync.connection");
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final AtomicLong SERIALS = new AtomicLong();

  final Node node;
  final Channel channel;
  final Role role;
  /** Creation order, so that of two connections dialed by the same device the newer can win. */
  final long serial = SERIALS.incrementAndGet();
  private volatile DeviceId peer;
  private volatile NettyPeerLink link;
  private volatile boolean wasUp;
  private volatile String closeReason;
  private ScheduledFuture<?> handshakeTimer;
  /** The address whose {@link HandshakeSlots} slot this accepted connection holds until authenticated. */
  private InetAddress handshakeSlot;
  private boolean holdsSlot;

  Connection(Node node, Channel channel, Role role) {
    this.node = node;
    this.channel = channel;
    this.role = role;
    channel.attr(KEY).set(this);
    channel.closeFuture().addListener(f -> onClosed());
  }

  static Connection of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** The authenticated peer, or null before authentication. */
  DeviceId peer() {
    return peer;
  }

  void authenticated(DeviceId id) {
    this.peer = id;
    releaseHandshakeSlot();
  }

  /** This accepted connection holds a handshake slot for {@code from}, until it authenticates or closes. */
  void holdHandshakeSlot(InetAddress from) {
    synchronized (this) {
      handshakeSlot = from;
      holdsSlot = true;
    }
    if (!channel.isOpen()) {
      releaseHandshakeSlot(); // closed already: onClosed may have run before the slot was held
    }
  }

  private synchronized void releaseHandshakeSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      node.handshakes.release(handshakeSlot);
    }
  }

  /** The device that dialed this connection. */
  DeviceId dialer() {
    return role == Role.DIALER ? node.identity.id() : peer;
  }

  NettyPeerLink link() {
    return link;
  }

  boolean wasUp() {
    return wasUp;
  }

  void linkUp(NettyPeerLink up) {
    this.link = up;
    this.wasUp = true;
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
  }

  /** Closes the connection unless the handshake and hellos finish in time. Event loop only. */
  void startHandshakeTimer() {
    long millis = node.limits.handshakeTimeout().toMillis();
    handshakeTimer = channel.eventLoop().schedule(() -> {
      if (link == null) {
        LOG.warn("{} handshake with {} not finished within {} ms; closing", node.tag(), this, millis);
        close(CloseReason.IDLE_TIMEOUT, "handshake not finished within " + millis + " ms");
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** Sends a {@link Close} with {@code reason}, then closes. Idempotent; the first reason sticks. */
  void close(CloseReason reason, String detail) {
    remember(reason + ": " + detail);
    if (!channel.isOpen()) {
      return;
    }
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    channel.writeAndFlush(new Close(reason, detail)).addListener(ChannelFutureListener.CLOSE);
    // A peer that reads nothing would keep that write, and the connection, pending forever.
    channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
  }

  /** Closes without a word to the peer (the stream is broken, or the peer already left). */
  void abort(String why) {
    remember(why);
    if (channel.isOpen()) {
      channel.close();
    }
  }

  /** The peer said goodbye: note why, and close. */
  void peerClosed(Close message) {
    remember("peer closed: " + message.reason() + ": " + message.detail());
    channel.close();
  }

  private synchronized void remember(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }

  private void onClosed() {
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    releaseHandshakeSlot();
    String reason = closeReason != null ? closeReason : "connection lost";
    node.registry.remove(this);
    NettyPeerLink up = link;
    if (up == null) {
      LOG.debug("{} connection {} closed before the link was up: {}", node.tag(), this, reason);
      return;
    }
    LOG.info("{} link to {} closed: {}", node.tag(), this, reason);
    up.onClosed(reason);
    try {
      node.handler.disconnected(up, reason);
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on disconnect of {}", node.tag(), this, e);
    }
  }

  @Override
  public String toString() {
    DeviceId p = peer;
    return (p != null ? p.shortId() + "@" : "") + channel.remoteAddress() + (role == Role.DIALER ? " (dialed)" : " (accepted)");
  }
}
