package dev.jsync.core;

import java.util.List;

/**
 * A snapshot of a {@link SyncNode}.
 *
 * @param device this node's device id
 * @param localFiles live paths in the local index
 * @param localSequence the local index's last sequence number
 * @param filesNeeded paths still to be brought in from any peer
 * @param peers one entry per known peer
 */
public record SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded,
    List<PeerStatus> peers) {

  public SyncStatus {
    peers = List.copyOf(peers);
  }

  /** True when every known peer is connected and in sync. */
  public boolean inSync() {
    return filesNeeded == 0 && !peers.isEmpty() && peers.stream().allMatch(PeerStatus::inSync);
  }
}
