package dev.jsync.core;

import dev.jsync.core.transport.ConnectionFailure;
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
 * @param unreached addresses whose last connection attempt failed and that have not led to a
 *     link since, with the reason (a configured peer never reached, a device with another secret)
 */
public record SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded,
    List<PeerStatus> peers, List<NameProblem> nameProblems, long filesMerged, List<ConnectionFailure> unreached) {

  public SyncStatus {
    peers = List.copyOf(peers);
    nameProblems = List.copyOf(nameProblems);
    unreached = List.copyOf(unreached);
  }

  /** A snapshot with no failed addresses. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers,
      List<NameProblem> nameProblems, long filesMerged) {
    this(device, localFiles, localSequence, filesNeeded, peers, nameProblems, filesMerged, List.of());
  }

  /** A snapshot with no name problems, no merges counted and no failed addresses. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers) {
    this(device, localFiles, localSequence, filesNeeded, peers, List.of(), 0);
  }

  /** A snapshot with no merges counted and no failed addresses. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers,
      List<NameProblem> nameProblems) {
    this(device, localFiles, localSequence, filesNeeded, peers, nameProblems, 0);
  }

  /** A snapshot with no name problems and no failed addresses. */
  public SyncStatus(DeviceId device, long localFiles, long localSequence, long filesNeeded, List<PeerStatus> peers,
      long filesMerged) {
    this(device, localFiles, localSequence, filesNeeded, peers, List.of(), filesMerged);
  }

  /** True when every known peer is connected and in sync. */
  public boolean inSync() {
    return filesNeeded == 0 && !peers.isEmpty() && peers.stream().allMatch(PeerStatus::inSync);
  }
}
