package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
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
      connecting.addListener(f -> {
        if (!f.isSuccess()) {
          LOG.info("{} cannot reach {}: {}", node.tag(), target, f.cause().toString());
        }
      });
      // A failed connect closes the channel too, so this is the one place that decides what next.
      current.closeFuture().addListener(f -> onClosed(Connection.of(connecting.channel())));
    }
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
