package dev.jsync.testkit;

import dev.jsync.core.SyncStatus;
import java.util.List;
import java.util.Optional;

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
    boolean anyRefusal = nodes.stream().anyMatch(n -> !n.syncNode().status().nameProblems().isEmpty());
    for (ClusterNode n : nodes.subList(1, nodes.size())) {
      FolderTree t = FolderTree.of(n.folder());
      if (t.equals(reference)) {
        continue;
      }
      if (!anyRefusal) {
        throw cluster.fail("converged", first.name() + " and " + n.name() + " differ:\n    "
            + String.join("\n    ", reference.diff(t)) + "\n" + first.name() + ":\n" + reference + n.name() + ":\n" + t
            + "index records of the paths that differ:\n" + cluster.indexRecords(reference.diffPaths(t)), null);
      }
      Optional<List<ClusterNode>> apart = apartButForRefusals(nodes, first, n);
      if (apart.isPresent()) {
        ClusterNode a = apart.get().get(0);
        ClusterNode b = apart.get().get(1);
        FolderTree ta = FolderTree.of(a.folder()).without(p -> a.refuses(p) || b.refuses(p));
        FolderTree tb = FolderTree.of(b.folder()).without(p -> a.refuses(p) || b.refuses(p));
        throw cluster.fail("converged", a.name() + " and " + b.name() + " differ outside the paths either refuses:\n    "
            + String.join("\n    ", ta.diff(tb)) + "\nrefused: " + a.name() + " " + a.syncNode().status().nameProblems()
            + ", " + b.name() + " " + b.syncNode().status().nameProblems() + "\n" + a.name() + ":\n"
            + FolderTree.of(a.folder()) + b.name() + ":\n" + FolderTree.of(b.folder())
            + "index records of the paths that differ:\n" + cluster.indexRecords(ta.diffPaths(tb)), null);
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

  /**
   * Where a node refused a peer's path its file system cannot hold (docs/filesystems.md), trees
   * legitimately differ there: every pair of nodes must hold the same tree but for the paths
   * either of the two refuses (and what is below them).
   *
   * @return the first pair, {@code first} or {@code n} and another node, whose trees differ
   *     outside those paths (the failure names it: it need not be {@code first} and {@code n}),
   *     or empty
   */
  private static Optional<List<ClusterNode>> apartButForRefusals(List<ClusterNode> nodes, ClusterNode first,
      ClusterNode n) {
    for (ClusterNode a : List.of(first, n)) {
      for (ClusterNode b : nodes) {
        if (a == b) {
          continue;
        }
        FolderTree ta = FolderTree.of(a.folder()).without(p -> a.refuses(p) || b.refuses(p));
        FolderTree tb = FolderTree.of(b.folder()).without(p -> a.refuses(p) || b.refuses(p));
        if (!ta.equals(tb)) {
          return Optional.of(List.of(a, b));
        }
      }
    }
    return Optional.empty();
  }
}
