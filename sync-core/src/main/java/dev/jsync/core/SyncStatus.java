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
 * @param nameProblems peers' paths this folder's file system cannot hold (a collision with a
 *     path already here, or a name the platform forbids), each until it is gone; they do not
 *     count as needed, and do not keep the node out of sync
 * @param filesMerged concurrent edits of notes merged since the node started (docs/conflicts.md)
 */
public record SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded,
    List<PeerStatus> peers, List<NameProblem> nameProblems, long filesMerged) {

  public SyncStatus {
    peers = List.copyOf(peers);
    nameProblems = List.copyOf(nameProblems);
  }

  /** A snapshot with no name problems and no merges counted. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers) {
    this(device, localFiles, localSequence, filesNeeded, peers, List.of(), 0);
  }

  /** A snapshot with no merges counted. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers,
      List<NameProblem> nameProblems) {
    this(device, localFiles, localSequence, filesNeeded, peers, nameProblems, 0);
  }

  /** A snapshot with no name problems. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers,
      long filesMerged) {
    this(device, localFiles, localSequence, filesNeeded, peers, List.of(), filesMerged);
  }

  /** True when every known peer is connected and in sync. */
  public boolean inSync() {
    return filesNeeded == 0 && !peers.isEmpty() && peers.stream().allMatch(PeerStatus::inSync);
  }
}
