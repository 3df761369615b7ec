package dev.jsync.core.transport;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection to or from a peer that failed before it became a {@link PeerLink}: what a
 * transport reports through {@link TransportHandler#connectionFailed}.
 *
 * @param peer the device at that address, if known from an earlier link (never from the failed
 *     connection's unauthenticated claims)
 * @param address where it was dialed ({@code host:port}), or where it came from
 * @param reason what went wrong
 * @param detail the details, for people
 */
public record ConnectionFailure(Optional<DeviceId> peer, String address, DisconnectReason reason, String detail) {

  public ConnectionFailure {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
