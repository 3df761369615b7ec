package dev.jsync.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Where this node stands with one peer.
 *
 * @param peer the peer
 * @param name its device name, empty until it has connected once in this process
 * @param connected whether a link is up now
 * @param filesNeeded paths for which this node still needs this peer's version
 * @param bytesNeeded bytes of those versions not yet on this node (an upper bound: blocks
 *     found locally are not subtracted until fetched)
 * @param peerSequence the peer's last sequence number, as it announced it
 * @param receivedSequence how far this node has read the peer's index
 * @param problem while not connected: why the last link ended or the last attempt failed, if known
 * @param problemDetail the details of {@code problem}, for people; empty without one
 */
public record PeerStatus(DeviceId peer, String name, boolean connected, long filesNeeded, long bytesNeeded,
    long peerSequence, long receivedSequence, Optional<DisconnectReason> problem, String problemDetail) {

  public PeerStatus {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(problemDetail, "problemDetail");
  }

  /** A peer with no problem recorded. */
  public PeerStatus(DeviceId peer, String name, boolean connected, long filesNeeded, long bytesNeeded,
      long peerSequence, long receivedSequence) {
    this(peer, name, connected, filesNeeded, bytesNeeded, peerSequence, receivedSequence, Optional.empty(), "");
  }

  /** True when connected, nothing is needed and the peer's whole index has been read. */
  public boolean inSync() {
    return connected && filesNeeded == 0 && receivedSequence >= peerSequence;
  }
}
