package dev.jsync.core.transport;

import dev.jsync.core.DeviceId;
import java.net.SocketAddress;
import java.util.List;

/**
 * How a node reaches its peers: it accepts and dials connections, authenticates them and turns
 * them into {@link PeerLink}s for the engine. Implementations: {@code NettyTransport}
 * (sync-net, TLS 1.3 over TCP) and the simulated network in sync-testkit.
 *
 * <p>The transport owns reconnection: after {@link #start}, it keeps trying to reach its
 * configured peers until {@link #close}. At most one link per peer is reported connected.
 *
 * <p>Peers may be added and removed while it runs ({@link #addPeer}, {@link #removePeer}): what
 * an address is depends on the transport ({@link java.net.InetSocketAddress} for
 * {@code NettyTransport}, an address the in-memory network hands out in sync-testkit). A
 * transport whose peers are fixed keeps the default methods, which refuse.
 */
public interface Transport extends AutoCloseable {

  /**
   * The device this transport authenticates as (for TLS transports, its certificate's
   * fingerprint). A {@link dev.jsync.core.SyncNode} takes its own id from here.
   */
  DeviceId deviceId();

  /** Starts listening and dialing; events go to {@code handler}. Called once. */
  void start(TransportHandler handler);

  /**
   * Dials {@code peer} too, at once if started, and keeps dialing it like a configured one.
   *
   * @return false if it is dialed already
   * @throws IllegalArgumentException if {@code peer} is not an address this transport can dial
   * @throws UnsupportedOperationException if this transport's peers are fixed
   */
  default boolean addPeer(SocketAddress peer) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take peers while running");
  }

  /**
   * Stops dialing {@code peer} and closes the link this transport dialed there. The device
   * there may still dial this one, if it can.
   *
   * @return false if it was not dialed
   * @throws UnsupportedOperationException if this transport's peers are fixed
   */
  default boolean removePeer(SocketAddress peer) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take peers while running");
  }

  /** The addresses dialed now: the configured ones, with those added and removed since. */
  default List<? extends SocketAddress> peers() {
    return List.of();
  }

  /** Closes every link and stops listening and dialing. Idempotent. */
  @Override
  void close();
}
