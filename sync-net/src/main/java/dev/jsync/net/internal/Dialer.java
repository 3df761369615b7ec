package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.transport.ConnectionFailure;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one configured peer address connected: dials it, and when the connection fails or
 * closes, dials again after a {@link Backoff} delay (reset once a link was up). Once it knows
 * which device answers at the address, it does not dial while that device is linked through
 * another connection (say one the peer dialed): it waits for that link to go away.
 *
 * <p>Thread-safe (synchronised); callbacks arrive on event-loop threads.
 */
final class Dialer {

  private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

  private final Node node;
  private final Bootstrap bootstrap;
  private final InetSocketAddress target;
  private final String address;
  private final Backoff backoff;
  private DeviceId knownPeer;
  private Channel current;
  private ScheduledFuture<?> next;
  private boolean parked;
  private boolean closed;

  Dialer(Node node, Bootstrap bootstrap, InetSocketAddress target) {
    this.node = node;
    this.bootstrap = bootstrap;
    this.target = target;
    this.address = format(target);
    this.backoff = new Backoff(node.limits.reconnectMin(), node.limits.reconnectMax(),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  synchronized void start() {
    schedule(Duration.ZERO);
  }

  synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel(false);
    }
  }

  /** Stops dialing and closes the connection this dialer made, if one is open. */
  synchronized void closeWithLink(String why) {
    close();
    if (current != null) {
      Connection c = Connection.of(current);
      if (c != null) {
        c.close(dev.jsync.protocol.CloseReason.SHUTDOWN, why);
      } else {
        current.close();
      }
    }
  }

  /** The registry lost its connection to {@code peer}: if we were waiting for that, dial. */
  synchronized void peerGone(DeviceId peer) {
    if (parked && peer.equals(knownPeer)) {
      parked = false;
      schedule(backoff.next());
    }
  }

  private void schedule(Duration delay) {
    if (!closed) {
      next = node.group.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void dial() {
    synchronized (this) {
      if (closed || current != null) {
        return;
      }
      if (knownPeer != null && node.registry.has(knownPeer)) {
        parked = true;
        return;
      }
      ChannelFuture connecting = bootstrap.connect(target);
      current = connecting.channel();
      current.attr(Connection.TARGET).set(address);
      if (knownPeer != null) {
        current.attr(Connection.KNOWN_PEER).set(knownPeer);
      }
      DeviceId known = knownPeer;
      connecting.addListener(f -> {
        if (!f.isSuccess()) {
          LOG.debug("{} cannot reach {}: {}", node.tag(), address, f.cause().toString());
          connectFailed(known, f.cause());
        }
      });
      // A failed connect closes the channel too, so this is the one place that decides what next.
      current.closeFuture().addListener(f -> onClosed(Connection.of(connecting.channel())));
    }
  }

  /** Tells the engine that the connect itself failed: refused, or no answer, or a name that does not resolve. */
  private void connectFailed(DeviceId known, Throwable cause) {
    if (closed || node.closing) {
      return;
    }
    try {
      node.handler.connectionFailed(new ConnectionFailure(Optional.ofNullable(known), address, classify(cause),
          describe(cause)));
    } catch (RuntimeException e) {
      LOG.warn("{} handler failed on a connection failure to {}", node.tag(), address, e);
    }
  }

  static DisconnectReason classify(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException && String.valueOf(c.getMessage()).contains("refused")) {
        return DisconnectReason.REFUSED;
      }
    }
    return DisconnectReason.UNREACHABLE;
  }

  /** The cause in words, without Java class names or the address again. */
  static String describe(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof java.nio.channels.UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
        return "the name does not resolve";
      }
      if (c instanceof io.netty.channel.ConnectTimeoutException) {
        return "no answer (timed out)";
      }
      if (c instanceof java.net.ConnectException) {
        String m = String.valueOf(c.getMessage());
        int colon = m.indexOf(':');
        String text = colon > 0 ? m.substring(0, colon) : m; // Netty appends ": host/address:port"
        return text.toLowerCase(java.util.Locale.ROOT);
      }
    }
    String m = cause.getMessage();
    return m == null || m.isBlank() ? "connection failed" : m;
  }

  /** {@code host:port} as configured, an IPv6 address in brackets. */
  static String format(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The address dialed. */
  InetSocketAddress target() {
    return target;
  }

  private synchronized void onClosed(Connection connection) {
    current = null;
    if (closed) {
      return;
    }
    if (connection != null && connection.peer() != null) {
      knownPeer = connection.peer();
    }
    if (node.identity.id().equals(knownPeer)) {
      LOG.warn("{} {} is this device's own address; not dialing it again", node.tag(), target);
      return;
    }
    if (connection != null && connection.wasUp()) {
      backoff.reset();
    }
    if (knownPeer != null && node.registry.has(knownPeer)) {
      parked = true;
      return;
    }
    Duration delay = backoff.next();
    LOG.debug("{} redialing {} in {} ms", node.tag(), target, delay.toMillis());
    schedule(delay);
  }
}
