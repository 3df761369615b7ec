package dev.jsync.testkit;

import dev.jsync.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recoverability (invariant 7): every content a node's disk held that no user on that node
 * overwrote or deleted there is, now, on some node's disk or in some node's version store.
 * (Content a user threw away on every disk that held it is the user's own doing; retention is
 * unlimited in the simulation.)
 */
final class RecoverabilityChecker {
  private final ClusterContext cluster;

  RecoverabilityChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    Set<Sha256> kept = new HashSet<>();
    for (ClusterNode n : cluster.nodes) {
      for (FolderTree.Entry e : FolderTree.of(n.folder()).entries().values()) {
        if (e instanceof FolderTree.File f) {
          kept.add(f.content());
        }
      }
      try {
        for (dev.jsync.core.history.Version v : n.versions().list()) {
          kept.add(Sha256.parse(v.sha256()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> lost = new ArrayList<>();
    for (ClusterNode n : cluster.nodes) {
      for (Sha256 c : n.seenOnDisk) {
        if (!kept.contains(c) && !cluster.history.discardedOn(n.name(), c)) {
          lost.add(c.toString().substring(0, 12) + " was on " + n.name() + "'s disk; "
              + cluster.history.versions().stream().filter(v -> !v.folder && v.content.equals(c))
                  .map(Object::toString).findFirst().orElse("(no user version)"));
        }
      }
    }
    if (!lost.isEmpty()) {
      throw cluster.fail("recoverable", lost.size() + " content(s) neither on any disk nor in any version store:\n    "
          + String.join("\n    ", lost), null);
    }
  }
}
