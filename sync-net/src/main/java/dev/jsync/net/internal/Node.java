package dev.jsync.net.internal;

import dev.jsync.core.transport.TransportHandler;
import dev.jsync.net.NetLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one transport shares: who this device is, the J-PAKE password
 * ({@link SecretKeys}), the TLS contexts, the limits, the engine's handler, the registry of
 * authenticated peers, the failed-authentication tracker, the caps on handshakes in progress and
 * the event loops. Immutable references to thread-safe parts.
 */
final class Node {

  final DeviceIdentity identity;
  final byte[] key;
  final TlsContexts tls;
  final NetLimits limits;
  final TransportHandler handler;
  final ConnectionRegistry registry;
  final AuthFailureTracker failures;
  final HandshakeSlots handshakes;
  final EventLoopGroup group;
  final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  final SecureRandom random = new SecureRandom();
  /** Set once the transport starts closing: connections that fail from then on are not news. */
  volatile boolean closing;
  /** Protocol errors from connections not yet authenticated, for rate-limited logging. */
  final AtomicLong strangerErrors = new AtomicLong();

  Node(DeviceIdentity identity, byte[] key, TlsContexts tls, NetLimits limits,
      TransportHandler handler, Clock clock, EventLoopGroup group) {
    this.identity = identity;
    this.key = key;
    this.tls = tls;
    this.limits = limits;
    this.handler = handler;
    this.registry = new ConnectionRegistry(identity.id());
    this.failures = new AuthFailureTracker(clock);
    this.handshakes = new HandshakeSlots(limits.maxHandshakes(), limits.maxHandshakesPerAddress());
    this.group = group;
  }

  /** Log prefix naming this node, so that two nodes in one process (tests) can be told apart. */
  String tag() {
    return "[" + identity.id().shortId() + "]";
  }
}
