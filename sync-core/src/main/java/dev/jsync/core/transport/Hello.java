package dev.jsync.core.transport;

import dev.jsync.core.store.IndexPosition;
import java.util.Objects;

/**
 * What a node tells a peer when a connection is set up, after authentication: its name, its own
 * index epoch and sequence, and how far it has already read the peer's index, so that the peer
 * sends only what is missing (nothing at all after a reconnect with no changes).
 *
 * @param deviceName a human-readable name (host name by default), for logs and status
 * @param indexEpoch the sender's index epoch; it changes only when the sender's state is reset
 * @param lastSequence the highest sequence number in the sender's own index
 * @param seenOfYou the sender's position in the receiver's index
 */
public record Hello(String deviceName, long indexEpoch, long lastSequence, IndexPosition seenOfYou) {

  public Hello {
    Objects.requireNonNull(deviceName, "deviceName");
    Objects.requireNonNull(seenOfYou, "seenOfYou");
  }
}
