package dev.jsync.core.transport;

import dev.jsync.core.DeviceId;

/**
 * How a node reaches its peers: it accepts and dials connections, authenticates them and turns
 * them into {@link PeerLink}s for the engine. Implementations: {@code NettyTransport}
 * (sync-net, TLS 1.3 over TCP) and the simulated network in sync-testkit.
 *
 * <p>The transport owns reconnection: after {@link #start}, it keeps trying to reach its
 * configured peers until {@link #close}. At most one link per peer is reported connected.
 */
public interface Transport extends AutoCloseable {

  /**
   * The device this transport authenticates as (for TLS transports, its certificate's
   * fingerprint). A {@link dev.jsync.core.SyncNode} takes its own id from here.
   */
  DeviceId deviceId();

  /** Starts listening and dialing; events go to {@code handler}. Called once. */
  void start(TransportHandler handler);

  /** Closes every link and stops listening and dialing. Idempotent. */
  @Override
  void close();
}
