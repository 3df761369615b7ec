package dev.jsync.testkit;

import java.util.List;

/**
 * No lost write (invariant 2): every version no user superseded survives on every node, at its
 * path or as a conflict copy; on a node that reports its path as one its file system cannot hold
 * (a collision, a forbidden name: {@link dev.jsync.core.NameProblem}), its absence is that
 * refusal, reported, and it must survive on the others. Judged from what the users did and saw ({@link WriteHistory}),
 * never from the engine's version vectors.
 */
final class NoLostWriteChecker {
  private final ClusterContext cluster;

  NoLostWriteChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    for (ClusterNode n : cluster.nodes) {
      FolderTree tree = FolderTree.of(n.folder());
      List<String> lost = cluster.history.lostWrites(tree, n::refusesOrACopyOf);
      if (!lost.isEmpty()) {
        throw cluster.fail("no lost write", n.name() + " lost " + lost.size() + " version(s):\n    "
            + String.join("\n    ", lost) + "\n" + n.name() + " holds:\n" + tree, null);
      }
    }
  }
}
