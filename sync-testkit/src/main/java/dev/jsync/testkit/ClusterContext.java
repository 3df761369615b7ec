package dev.jsync.testkit;

import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.merge.MergeableFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the parts of a {@link SimulatedCluster} share: the scheduler, network and nodes, what the
 * users did ({@link WriteHistory}, the operation log), and how a failure is reported. The
 * cluster, its runner and its checkers each hold this one object. Not thread-safe.
 */
final class ClusterContext {
  final long seed;
  final SimulatedScheduler scheduler;
  final SimulatedNetwork network;
  final NetworkFaults faults;
  final SyncOptions options;
  final long convergenceSteps;
  final Scenario scenario;
  final List<ClusterNode> nodes = new ArrayList<>();
  final Map<SimulatedScheduler.Process, ClusterNode> byProcess = new IdentityHashMap<>();
  final WriteHistory history = new WriteHistory();
  /** The operations carried out, in order, for failure messages. */
  final List<String> log = new ArrayList<>();
  final List<SimulationFailure> startFailures = new ArrayList<>();
  /** Per path, the file each node held at the start (only nodes whose entry fitted). */
  final Map<String, Map<Integer, WriteHistory.SeenFile>> seeded = new TreeMap<>();
  /** Every path a user operation touched (written, removed, renamed from or to, created on the way). */
  final Set<String> touchedByUsers = new HashSet<>();
  /** The users' line edits of notes, for the check of merged notes ({@link NoteMergeChecker}). */
  final List<NoteMergeChecker.LineEdit> lineEdits = new ArrayList<>();
  /**
   * Per path, how many line edits had been made when a user last changed its executable bit: a
   * later chmod makes a version of the same bytes that {@link NoteMergeChecker} cannot tell
   * from the edit by content.
   */
  final Map<String, Integer> chmodAfterEdits = new HashMap<>();
  private final Consumer<String> trace;

  ClusterContext(ClusterBuilder b, SyncOptions options) {
    this.seed = b.seed;
    this.scheduler = new SimulatedScheduler(b.seed);
    this.faults = b.faults;
    this.network = new SimulatedNetwork(scheduler, b.faults);
    this.options = options;
    history.mergeable(options.mergeable());
    this.convergenceSteps = b.convergenceSteps;
    this.scenario = b.scenario;
    this.trace = b.trace;
  }

  void trace(String line) {
    if (trace != null) {
      trace.accept(String.format("[%10.6fs] %s", scheduler.nanos() / 1e9, line));
    }
  }

  /** Every node's index record of each of {@code paths}, for failure messages. */
  String indexRecords(List<String> paths) {
    StringBuilder b = new StringBuilder();
    for (String p : paths) {
      for (ClusterNode n : nodes) {
        b.append("    ").append(n.name()).append(": ")
            .append(n.store().local(RelativePath.of(p)).map(e -> e.record().toString()).orElse(p + " not in the index"))
            .append('\n');
      }
    }
    return b.toString();
  }

  /** Every node's status, one line each, for failure messages. */
  String statusLines() {
    StringBuilder b = new StringBuilder();
    for (ClusterNode n : nodes) {
      b.append("    ").append(n.name()).append(": ")
          .append(n.syncNode() == null ? "down" : String.valueOf(n.syncNode().status())).append('\n');
    }
    return b.toString();
  }

  /** How the replay runs the scenario: with the options this run merged notes under. */
  private String replayCall() {
    MergeableFiles mergeable = options.mergeable();
    if (mergeable.equals(MergeableFiles.none())) {
      return ".run();";
    }
    if (mergeable.equals(MergeableFiles.defaults())) {
      return ".run(o -> o.withMergeable(MergeableFiles.defaults()));";
    }
    return ".run(o -> o.withMergeable(MergeableFiles.of(Set.of(\"" + String.join("\", \"", mergeable.extensions())
        + "\"), " + mergeable.maxBytes() + "L)));";
  }

  /** A failure of {@code invariant}, with the seed, the operations and the replay script. */
  SimulationFailure fail(String invariant, String message, Throwable cause) {
    StringBuilder b = new StringBuilder();
    b.append(invariant).append(" violated: ").append(message).append("\n\nseed ").append(seed).append(", nodes ");
    for (ClusterNode n : nodes) {
      ClockSkew skew = n.clock().skew();
      b.append(n.name()).append(skew.offset().isZero() && skew.driftPpm() == 0 ? "" : "(" + skew + ")").append(' ');
    }
    b.append("\noperations, in order:\n");
    for (String l : log) {
      b.append("    ").append(l).append('\n');
    }
    if (scenario != null) {
      b.append("\nreplay with:\n").append(scenario.toJava()).append(replayCall()).append('\n');
    }
    return new SimulationFailure(invariant, b.toString(), cause);
  }
}
