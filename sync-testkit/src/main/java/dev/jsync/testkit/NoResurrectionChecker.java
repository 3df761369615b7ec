package dev.jsync.testkit;

import java.util.List;

/**
 * No resurrection (invariant 3): nothing a user removed comes back unless a concurrent edit
 * wanted it. Judged from what the users did and saw ({@link WriteHistory}).
 */
final class NoResurrectionChecker {
  private final ClusterContext cluster;

  NoResurrectionChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    for (ClusterNode n : cluster.nodes) {
      List<String> back = cluster.history.resurrections(FolderTree.of(n.folder()));
      if (!back.isEmpty()) {
        List<String> paths = back.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        throw cluster.fail("no resurrection", n.name() + ":\n    " + String.join("\n    ", back)
            + "\nindex records:\n" + cluster.indexRecords(paths), null);
      }
    }
  }
}
