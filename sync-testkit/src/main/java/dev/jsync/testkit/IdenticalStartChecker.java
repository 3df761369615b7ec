package dev.jsync.testkit;

import dev.jsync.core.RelativePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A path that held the same bytes with the same executable bit on every node at the start
 * ({@link ClusterBuilder#start}) and that no user touched since: no node pulled it (no block
 * reply for it) and no node holds a conflict copy of it, whatever its modification times. Inline
 * blocks are not counted: a node may send a small file along with its record before it has its
 * peer's index, so before it can know that the peer holds it (a waste, which
 * {@link SimulatedNetwork#inlineBytesSent(RelativePath)} measures, not an error).
 *
 * <p>Checked only in runs whose disks failed no operation: a node that could not read its own
 * copy while scanning does not know it holds the content, and rightly fetches it.
 */
final class IdenticalStartChecker {
  private final ClusterContext cluster;

  IdenticalStartChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    if (cluster.nodes.stream().anyMatch(n -> n.disk().faultsInjected() > 0)) {
      return;
    }
    List<String> wrong = new ArrayList<>();
    for (String path : identicalStartPaths()) {
      long blocks = cluster.network.blockBytesSent(RelativePath.of(path));
      if (blocks != 0) {
        wrong.add(path + ": pulled: " + blocks + " bytes in block replies (and "
            + cluster.network.inlineBytesSent(RelativePath.of(path)) + " bytes inline)");
      }
      for (ClusterNode n : cluster.nodes) {
        for (String copy : FolderTree.of(n.folder()).conflictCopies()) {
          if (WriteHistory.isConflictCopyOf(copy, path)) {
            wrong.add(path + ": " + n.name() + " holds a conflict copy " + copy);
          }
        }
      }
    }
    if (!wrong.isEmpty()) {
      throw cluster.fail("identical files move nothing", "paths identical on every node at the start, untouched since:\n    "
          + String.join("\n    ", wrong) + "\nindex records:\n"
          + cluster.indexRecords(wrong.stream().map(w -> w.substring(0, w.indexOf(':'))).distinct().toList()), null);
    }
  }

  /**
   * Paths that held the same bytes and executable bit on every node at the start and that no
   * user operation touched since.
   */
  List<String> identicalStartPaths() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, WriteHistory.SeenFile>> e : cluster.seeded.entrySet()) {
      if (e.getValue().size() == cluster.nodes.size() && e.getValue().values().stream().distinct().count() == 1
          && !cluster.touchedByUsers.contains(e.getKey())) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
