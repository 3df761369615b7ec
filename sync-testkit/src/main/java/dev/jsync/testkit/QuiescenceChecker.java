package dev.jsync.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Quiescence (invariant 4): once converged, a full scan on every node, then a reset of every
 * connection, move no block, send no index record, and leave the trees as they were; the
 * cluster is still converged afterwards.
 */
final class QuiescenceChecker {
  private final ClusterContext cluster;
  private final ClusterRunner runner;
  private final ConvergenceChecker converged;

  QuiescenceChecker(ClusterContext cluster, ClusterRunner runner, ConvergenceChecker converged) {
    this.cluster = cluster;
    this.runner = runner;
    this.converged = converged;
  }

  void check() {
    SimulatedNetwork network = cluster.network;
    long records = network.indexRecordsSent();
    long requests = network.blockRequestsSent();
    long bytes = network.blockBytesSent();
    List<FolderTree> before = new ArrayList<>();
    for (ClusterNode n : cluster.nodes) {
      before.add(FolderTree.of(n.folder()));
      n.syncNode().scanNow();
    }
    runner.runUntilQuiescent(cluster.convergenceSteps);
    String afterScan = counters(records, requests, bytes);
    network.resetAll();
    runner.runUntilQuiescent(cluster.convergenceSteps);
    String afterReconnect = counters(records, requests, bytes);
    if (!afterScan.isEmpty() || !afterReconnect.isEmpty()) {
      throw cluster.fail("quiescent", "a converged cluster still sent something"
          + (afterScan.isEmpty() ? "" : "\n    after a full scan: " + afterScan)
          + (afterReconnect.isEmpty() ? "" : "\n    after a reconnect: " + afterReconnect), null);
    }
    for (int i = 0; i < cluster.nodes.size(); i++) {
      if (!FolderTree.of(cluster.nodes.get(i).folder()).equals(before.get(i))) {
        throw cluster.fail("quiescent", cluster.nodes.get(i).name() + "'s folder changed after convergence", null);
      }
    }
    converged.check();
  }

  private String counters(long records, long requests, long bytes) {
    SimulatedNetwork network = cluster.network;
    List<String> out = new ArrayList<>();
    if (network.indexRecordsSent() != records) {
      out.add((network.indexRecordsSent() - records) + " index records");
    }
    if (network.blockRequestsSent() != requests) {
      out.add((network.blockRequestsSent() - requests) + " block requests (" + (network.blockBytesSent() - bytes)
          + " bytes)");
    }
    return String.join(", ", out);
  }
}
