package dev.jsync.net.internal;

import dev.jsync.net.NetLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Two connections' pipelines joined back to back in memory, without TLS: each side's
 * {@link AuthHandler} is told the session's certificates directly. Bytes move only when
 * {@link #shuttle()} is called, so tests can inspect and tamper in between.
 */
final class EmbeddedPeers implements AutoCloseable {

  private static DeviceIdentity identityA;
  private static DeviceIdentity identityB;

  final Node dialerNode;
  final Node listenerNode;
  final SpyHandler dialerEvents = new SpyHandler("dialer");
  final SpyHandler listenerEvents = new SpyHandler("listener");
  final EmbeddedChannel dialer;
  final EmbeddedChannel listener;

  /** Identities made once per test run: certificate generation is the slow part. */
  static synchronized DeviceIdentity identity(boolean a) {
    try {
      if (identityA == null) {
        identityA = DeviceIdentity.loadOrCreate(Files.createTempDirectory("jsync-a"), Clock.systemUTC());
        identityB = DeviceIdentity.loadOrCreate(Files.createTempDirectory("jsync-b"), Clock.systemUTC());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return a ? identityA : identityB;
  }

  static Node node(String name, DeviceIdentity identity, byte[] key, NetLimits limits, SpyHandler handler) {
    // No TLS contexts and no event loop group: embedded channels use neither.
    return new Node(identity, key, null, limits, handler, Clock.systemUTC(), null);
  }

  EmbeddedPeers(byte[] dialerKey, byte[] listenerKey, NetLimits limits) {
    this(dialerKey, listenerKey, limits, null, null);
  }

  /**
   * @param dialerSees certificates the dialer's session reports (null: the true pair)
   * @param listenerSees certificates the listener's session reports (null: the true pair)
   */
  EmbeddedPeers(byte[] dialerKey, byte[] listenerKey, NetLimits limits, SessionCertificates dialerSees,
      SessionCertificates listenerSees) {
    DeviceIdentity a = identity(true);
    DeviceIdentity b = identity(false);
    dialerNode = node("dialer", a, dialerKey, limits, dialerEvents);
    listenerNode = node("listener", b, listenerKey, limits, listenerEvents);
    dialer = channel(dialerNode, Role.DIALER,
        dialerSees != null ? dialerSees : new SessionCertificates(a.certificateDer(), b.certificateDer()));
    listener = channel(listenerNode, Role.LISTENER,
        listenerSees != null ? listenerSees : new SessionCertificates(b.certificateDer(), a.certificateDer()));
  }

  /** A channel with the production pipeline minus TLS (names as in {@link PeerChannelInitializer}). */
  static EmbeddedChannel channel(Node node, Role role, SessionCertificates certificates) {
    return channel(new EmbeddedChannel(), node, role, certificates);
  }

  /** The same pipeline on a given (not yet used) channel, e.g. one with a real remote address. */
  static EmbeddedChannel channel(EmbeddedChannel ch, Node node, Role role, SessionCertificates certificates) {
    Connection connection = new Connection(node, ch, role);
    int maxFrame = node.limits.maxFrameBytes();
    ch.pipeline().addLast("frameDecoder", VarintFrameDecoder.forHandshake(maxFrame));
    ch.pipeline().addLast("messageDecoder", MessageDecoder.forHandshake());
    ch.pipeline().addLast("framePrepender", new VarintFramePrepender(maxFrame));
    ch.pipeline().addLast("messageEncoder", new MessageEncoder());
    ch.pipeline().addLast("backpressure", BackpressureHandler.INSTANCE);
    ch.pipeline().addLast("auth", new AuthHandler(connection, ctx -> certificates,
        (ctx, peer) -> HelloHandler.afterAuthentication(ctx, connection, peer)));
    ch.pipeline().addLast("errors", new ErrorHandler(connection));
    return ch;
  }

  /** TLS is done on both ends: the challenges go out. */
  EmbeddedPeers tlsDone() {
    dialer.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    listener.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    return this;
  }

  /** Moves bytes both ways until neither side has anything more to say. */
  EmbeddedPeers shuttle() {
    boolean moved = true;
    while (moved) {
      moved = move(dialer, listener) | move(listener, dialer);
    }
    return this;
  }

  /** Inserts {@code handler} on {@code ch} right after message decoding (to see or alter messages). */
  static void tap(EmbeddedChannel ch, ChannelHandler handler) {
    ch.pipeline().addAfter("messageDecoder", "tap", handler);
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    // Work handed to the event loop (requests from the engine, replies) writes when it runs.
    from.runPendingTasks();
    boolean moved = false;
    for (Object o = from.readOutbound(); o != null; o = from.readOutbound()) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound((ByteBuf) o);
      } else {
        ReferenceCountUtil.release(o);
      }
    }
    from.runPendingTasks();
    to.runPendingTasks();
    return moved;
  }

  /** Drains and releases everything left, failing on a pending exception. */
  @Override
  public void close() {
    dialer.finishAndReleaseAll();
    listener.finishAndReleaseAll();
  }
}
