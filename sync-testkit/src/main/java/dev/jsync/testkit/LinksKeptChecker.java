package dev.jsync.testkit;

import java.util.List;

/**
 * No engine closed a link itself except to replace it or to shut down: the simulated network
 * delivers every index stream in order or shows its faults in ways an engine can repair (an
 * overlapping or repeated batch is skipped, a gap asks the sender to resume).
 */
final class LinksKeptChecker {
  private final ClusterContext cluster;

  LinksKeptChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check() {
    List<String> closes = cluster.network.linksClosedByEngines().stream()
        .filter(c -> !c.contains(": replaced by a newer connection") && !c.contains(": shutting down"))
        .toList();
    if (!closes.isEmpty()) {
      throw cluster.fail("links kept", "an engine closed a link on an index stream it could have repaired:\n    "
          + String.join("\n    ", closes), null);
    }
  }
}
