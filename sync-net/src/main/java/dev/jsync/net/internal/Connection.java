package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.transport.ConnectionFailure;
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
  /** On a dialed channel: the configured address it dialed, as {@code host:port}, and the device known to be there. */
  static final AttributeKey<String> TARGET = AttributeKey.valueOf("jsync.target");
  static final AttributeKey<DeviceId> KNOWN_PEER = AttributeKey.valueOf("jsync.knownPeer");
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
  private volatile DisconnectReason closeKind;
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
        LOG.debug("{} handshake with {} not finished within {} ms; closing", node.tag(), this, millis);
        close(CloseReason.IDLE_TIMEOUT, "handshake not finished within " + millis + " ms");
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** Sends a {@link Close} with {@code reason}, then closes. Idempotent; the first reason sticks. */
  void close(CloseReason reason, String detail) {
    remember(kind(reason), reason + ": " + detail);
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
    abort(DisconnectReason.LOST, why);
  }

  /** Like {@link #abort(String)}, saying what kind of failure it was. */
  void abort(DisconnectReason kind, String why) {
    remember(kind, why);
    if (channel.isOpen()) {
      channel.close();
    }
  }

  /** The peer said goodbye: note why, and close. */
  void peerClosed(Close message) {
    remember(kind(message.reason()), "peer closed: " + message.reason() + ": " + message.detail());
    channel.close();
  }

  /**
   * Notes why the connection is failing without closing it yet (the listener side of a failed
   * authentication, which only learns so once the dialer leaves).
   */
  void failing(DisconnectReason kind, String why) {
    remember(kind, why);
  }

  private synchronized void remember(DisconnectReason kind, String reason) {
    if (closeReason == null) {
      closeReason = reason;
      closeKind = kind;
    }
  }

  static DisconnectReason kind(CloseReason reason) {
    switch (reason) {
      case AUTH_FAILED:
        return DisconnectReason.AUTHENTICATION_FAILED;
      case VERSION_MISMATCH:
        return DisconnectReason.OTHER_VERSION;
      case DUPLICATE_CONNECTION:
        return DisconnectReason.REPLACED;
      case PROTOCOL_ERROR:
        return DisconnectReason.PROTOCOL_ERROR;
      case IDLE_TIMEOUT:
        return DisconnectReason.LOST;
      default:
        return DisconnectReason.CLOSED;
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
    DisconnectReason kind = closeKind != null ? closeKind : DisconnectReason.LOST;
    if (up == null) {
      LOG.debug("{} connection {} closed before the link was up: {}", node.tag(), this, reason);
      reportFailure(kind, reason);
      return;
    }
    LOG.debug("{} link to {} closed: {}", node.tag(), this, reason);
    up.onClosed(reason);
    try {
      node.handler.disconnected(up, kind, reason);
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on disconnect of {}", node.tag(), this, e);
    }
  }

  /**
   * Tells the engine why a connection that never became a link failed. A dialed one always (a
   * failed connect is the {@link Dialer}'s to report); an accepted one only when the other side
   * failed authentication or speaks another version, keyed by its address without the port: a
   * stranger's garbage or a port scan is no news about a peer.
   */
  private void reportFailure(DisconnectReason kind, String reason) {
    if (closeKind == null || kind == DisconnectReason.REPLACED || node.closing) {
      return; // a connect that failed (the dialer reports it), a duplicate, or our own shutdown
    }
    String address;
    java.util.Optional<DeviceId> known;
    if (role == Role.DIALER) {
      String target = channel.attr(TARGET).get();
      address = target != null ? target : String.valueOf(channel.remoteAddress());
      known = java.util.Optional.ofNullable(channel.attr(KNOWN_PEER).get());
    } else {
      if (kind != DisconnectReason.AUTHENTICATION_FAILED && kind != DisconnectReason.OTHER_VERSION) {
        return;
      }
      address = channel.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
          ? a.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
      known = java.util.Optional.empty();
    }
    try {
      node.handler.connectionFailed(new ConnectionFailure(known, address, kind, reason));
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on a connection failure of {}", node.tag(), this, e);
    }
  }

  @Override
  public String toString() {
    DeviceId p = peer;
    return (p != null ? p.shortId() + "@" : "") + channel.remoteAddress() + (role == Role.DIALER ? " (dialed)" : " (accepted)");
  }
}
