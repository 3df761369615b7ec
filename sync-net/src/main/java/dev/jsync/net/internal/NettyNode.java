package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.TransportHandler;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.CloseReason;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running transport behind {@link dev.jsync.net.NettyTransport}: its event loops, listening
 * socket and dialers. Lifecycle: constructed (identity loaded), {@link #start}ed once,
 * {@link #close}d once (idempotent). Thread-safe.
 */
public final class NettyNode {

  private static final Logger LOG = LoggerFactory.getLogger(NettyNode.class);

  private final NetConfig config;
  private final String secret;
  private final Clock clock;
  private final DeviceIdentity identity;
  private final List<Dialer> dialers = new ArrayList<>();
  /** The addresses to dial: the configured ones, then those added and removed since. */
  private final List<InetSocketAddress> targets = new ArrayList<>();
  private Bootstrap dialing;
  private Node node;
  private volatile EventLoopGroup group;
  private Channel server;
  private boolean started;
  private boolean closed;

  /** Loads (or creates) the device identity in the state folder; {@code secret} is the config's. */
  public NettyNode(NetConfig config, String secret, Clock clock) throws IOException {
    this.config = config;
    this.secret = secret;
    this.clock = clock;
    this.identity = DeviceIdentity.loadOrCreate(config.stateDir(), clock);
    this.targets.addAll(config.peers());
  }

  public DeviceId deviceId() {
    return identity.id();
  }

  /** Derives the J-PAKE password, listens and starts dialing. */
  public synchronized void start(TransportHandler handler) {
    if (started || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    started = true;
    NetLimits limits = config.limits();
    byte[] key = SecretKeys.derive(secret);
    TlsContexts tls;
    try {
      tls = new TlsContexts(identity, config.tlsEngine());
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
    group = new MultiThreadIoEventLoopGroup(limits.ioThreads(), NioIoHandler.newFactory());
    node = new Node(identity, key, tls, limits, handler, clock, group);
    WriteBufferWaterMark marks = new WriteBufferWaterMark(limits.writeBufferLowBytes(), limits.writeBufferHighBytes());
    try {
      server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
          .childHandler(new PeerChannelInitializer(node, Role.LISTENER))
          .bind(config.listen()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new UncheckedIOException(new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e));
    }
    LOG.debug("{} device {} listening on {}", node.tag(), identity.id(), server.localAddress());
    LOG.debug("{} TLS by {}", node.tag(), tls.engineName);
    dialing = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks);
    for (InetSocketAddress peer : targets) {
      dialers.add(newDialer(peer));
    }
    dialers.forEach(Dialer::start);
  }

  private Dialer newDialer(InetSocketAddress peer) {
    Dialer dialer = new Dialer(node, dialing.clone().handler(new PeerChannelInitializer(node, Role.DIALER)), peer);
    node.registry.onPeerGone(dialer::peerGone);
    return dialer;
  }

  /** Dials {@code peer} too (at once if running), and keeps dialing it. Returns false if it is dialed already. */
  public synchronized boolean addPeer(InetSocketAddress peer) {
    if (closed || targets.contains(peer)) {
      return false;
    }
    targets.add(peer);
    if (started && server != null) {
      Dialer d = newDialer(peer);
      dialers.add(d);
      d.start();
    }
    return true;
  }

  /**
   * Stops dialing {@code peer} and closes the link this device dialed there. Returns false if
   * it was not dialed.
   */
  public synchronized boolean removePeer(InetSocketAddress peer) {
    if (!targets.remove(peer)) {
      return false;
    }
    for (java.util.Iterator<Dialer> it = dialers.iterator(); it.hasNext(); ) {
      Dialer d = it.next();
      if (d.target().equals(peer)) {
        it.remove();
        d.closeWithLink("no longer a peer of this device");
      }
    }
    return true;
  }

  /** The addresses dialed now. */
  public synchronized List<InetSocketAddress> peers() {
    return List.copyOf(targets);
  }

  /** The TLS engine in use (never AUTO). */
  public synchronized dev.jsync.net.TlsEngine tlsEngine() {
    if (node == null) {
      throw new IllegalStateException("not started");
    }
    return node.tls.engine;
  }

  /** The address actually listened on (with the real port when configured with port 0). */
  public synchronized InetSocketAddress localAddress() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) server.localAddress();
  }

  /**
   * Says goodbye on every connection, stops listening and dialing, and stops the event loops.
   * Waits up to a few seconds for that, except when called from one of those event loops (a
   * handler callback), where waiting would deadlock: then the shutdown runs on its own thread.
   */
  public void close() {
    if (group != null && onOwnEventLoop()) {
      Thread t = new Thread(this::closeAndWait, "jsync-net-close");
      t.setDaemon(true);
      t.start();
      return;
    }
    closeAndWait();
  }

  private boolean onOwnEventLoop() {
    for (io.netty.util.concurrent.EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  private synchronized void closeAndWait() {
    if (closed) {
      return;
    }
    closed = true;
    if (!started) {
      return;
    }
    if (node != null) {
      node.closing = true;
    }
    dialers.forEach(Dialer::close);
    if (server == null) {
      return; // start failed to bind and already stopped the event loops
    }
    server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    for (Channel ch : node.channels) {
      Connection c = Connection.of(ch);
      if (c != null) {
        c.close(CloseReason.SHUTDOWN, "device shutting down");
      } else {
        ch.close();
      }
    }
    node.channels.newCloseFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    LOG.debug("{} closed", node.tag());
  }
}
