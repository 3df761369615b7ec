package dev.jsync.testkit;

import dev.jsync.core.SyncStatus;
import java.util.List;

/**
 * Convergence (invariant 1) and no temp file (invariant 5): every node runs, holds the same tree
 * (paths, contents, executable bits, empty folders, conflict copies), reports itself in sync, and
 * holds no jSync temp file.
 */
final class ConvergenceChecker {
  private final ClusterContext cluster;

  ConvergenceChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    List<ClusterNode> nodes = cluster.nodes;
    ClusterNode first = nodes.get(0);
    for (ClusterNode n : nodes) {
      if (!n.isRunning()) {
        throw cluster.fail("converged", n.name() + " is not running (call heal() first)", null);
      }
    }
    FolderTree reference = FolderTree.of(first.folder());
    for (ClusterNode n : nodes.subList(1, nodes.size())) {
      FolderTree t = FolderTree.of(n.folder());
      if (!t.equals(reference)) {
        throw cluster.fail("converged", first.name() + " and " + n.name() + " differ:\n    "
            + String.join("\n    ", reference.diff(t)) + "\n" + first.name() + ":\n" + reference + n.name() + ":\n" + t
            + "index records of the paths that differ:\n" + cluster.indexRecords(reference.diffPaths(t)), null);
      }
    }
    for (ClusterNode n : nodes) {
      List<String> temps = FolderTree.tempFiles(n.folder());
      if (!temps.isEmpty()) {
        throw cluster.fail("no temp file", n.name() + " holds " + temps.size() + " temp file(s) once converged:\n    "
            + String.join("\n    ", temps), null);
      }
    }
    for (ClusterNode n : nodes) {
      SyncStatus s = n.syncNode().status();
      if (s.filesNeeded() != 0 || !s.peers().stream().allMatch(p -> p.inSync())) {
        throw cluster.fail("converged", n.name() + " does not report itself in sync: " + s, null);
      }
    }
  }
}
