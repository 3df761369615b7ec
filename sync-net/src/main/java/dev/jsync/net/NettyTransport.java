package dev.jsync.net;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import dev.jsync.net.internal.NettyNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * jSync's {@link Transport} over TCP on Netty: every connection is TLS 1.3, both ends prove they
 * know the shared secret without sending it (bound to the TLS session, so a man in the middle
 * fails), and only then exchange hellos and become a {@link dev.jsync.core.transport.PeerLink}.
 * It listens, dials its configured peers and redials them with exponential back-off, keeps one
 * link per peer, pings quiet links and drops dead ones, pipelines block requests under a byte
 * bound, and contains misbehaving peers (oversize frames, garbage, hostile paths, floods) to a
 * log line and a closed connection or a {@code BUSY} answer. docs/protocol.md is the protocol.
 *
 * <p>The device's identity (an EC P-256 key and self-signed certificate, whose SHA-256 is its
 * {@link DeviceId}) lives in the configured state folder and is created there on first use.
 *
 * <p>Thread-safe. The constructor does file I/O (the identity); {@link #start} derives the key
 * from the secret (about 0.2 s, once per process and secret) and binds the listening socket.
 * Handler callbacks run on Netty event-loop threads and must return quickly.
 */
public final class NettyTransport implements Transport {

  private final NettyNode node;

  /**
   * Loads or creates the device identity in {@code config.stateDir()}.
   *
   * @throws IOException if the identity cannot be read or written
   */
  public NettyTransport(NetConfig config) throws IOException {
    this.node = new NettyNode(config, config.secret(), Clock.systemUTC());
  }

  /** This device's id: the SHA-256 fingerprint of its certificate. */
  @Override
  public DeviceId deviceId() {
    return node.deviceId();
  }

  /**
   * Starts listening and dialing.
   *
   * @throws java.io.UncheckedIOException if the listening address cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  @Override
  public void start(TransportHandler handler) {
    node.start(handler);
  }

  /**
   * The TLS engine actually in use: {@link TlsEngine#JDK} or {@link TlsEngine#OPENSSL} (what
   * {@link TlsEngine#AUTO} chose). After {@link #start}.
   */
  public TlsEngine tlsEngine() {
    return node.tlsEngine();
  }

  /** The address listened on, with the real port if port 0 was configured. After {@link #start}. */
  public InetSocketAddress localAddress() {
    return node.localAddress();
  }

  /**
   * Dials {@code peer} as well, at once if started, and keeps dialing it like a configured one.
   * Give it unresolved ({@link InetSocketAddress#createUnresolved}) so its name is looked up at
   * each dial.
   *
   * @return false if it is dialed already (the same address, resolved or not alike)
   */
  public boolean addPeer(InetSocketAddress peer) {
    return node.addPeer(java.util.Objects.requireNonNull(peer, "peer"));
  }

  /**
   * {@link #addPeer(InetSocketAddress)}, for a caller that holds a {@link Transport}.
   *
   * @throws IllegalArgumentException if {@code peer} is not an {@link InetSocketAddress}
   */
  @Override
  public boolean addPeer(java.net.SocketAddress peer) {
    return addPeer(inet(peer));
  }

  /**
   * Stops dialing {@code peer} and closes the link this device dialed to it. A device that
   * knows the secret can still dial this one; to keep it out for good, change the secret.
   *
   * @return false if it was not dialed
   */
  public boolean removePeer(InetSocketAddress peer) {
    return node.removePeer(java.util.Objects.requireNonNull(peer, "peer"));
  }

  /**
   * {@link #removePeer(InetSocketAddress)}, for a caller that holds a {@link Transport}.
   *
   * @throws IllegalArgumentException if {@code peer} is not an {@link InetSocketAddress}
   */
  @Override
  public boolean removePeer(java.net.SocketAddress peer) {
    return removePeer(inet(peer));
  }

  private static InetSocketAddress inet(java.net.SocketAddress peer) {
    if (java.util.Objects.requireNonNull(peer, "peer") instanceof InetSocketAddress a) {
      return a;
    }
    throw new IllegalArgumentException("NettyTransport dials host:port addresses (InetSocketAddress), not " + peer);
  }

  /** The addresses dialed: the configured ones, with those added and removed since. */
  @Override
  public java.util.List<InetSocketAddress> peers() {
    return node.peers();
  }

  @Override
  public void close() {
    node.close();
  }
}
