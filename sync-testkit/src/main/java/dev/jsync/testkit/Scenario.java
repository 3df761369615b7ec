package dev.jsync.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import dev.jsync.core.SyncOptions;

/**
 * Everything that determines one simulated run: the seed, the devices and their clocks, the
 * network's fault rates, and the script. The same scenario always runs the same way, step for
 * step ({@link SimulationReport#traceHash()} proves it).
 *
 * <p>{@link #run()} plays it as the deterministic-simulation method prescribes: a <b>fault
 * phase</b> that applies the operations one by one (letting the cluster run a few
 * milliseconds after each, as the seed and the operation decide), then a <b>heal</b> (partitions end, network and disk fault rates drop to zero,
 * crashed nodes restart), then a <b>convergence phase</b> with a step limit, and finally the
 * invariant checks: converged, no lost write, no resurrection, quiescent. Atomicity is checked
 * after every step of both phases.
 *
 * <p>{@link #toJava()} prints Java source that rebuilds the scenario; a failure message
 * includes it, so a failing run can be pasted into a test and replayed.
 *
 * @param seed drives every random choice of the run: scheduling, latencies, faults, epochs
 * @param nodes the devices' names (their ids derive from the names)
 * @param skews each device's clock skew, one per node
 * @param faults the network's fault rates during the fault phase
 * @param operations the script
 * @param start what the folders hold before the nodes first start ({@link StartingState#none()}:
 *     nothing)
 * @param diskFaults each node's disk faults during the fault phase, one per node, or an empty
 *     list for disks that never fail (a crash loses unflushed writes either way)
 * @param platforms each node's {@link Platform}, one per node, or an empty list for Linux
 *     everywhere
 */
public record Scenario(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
    List<Operation> operations, StartingState start, List<DiskFaults> diskFaults, List<Platform> platforms) {

  public Scenario {
    nodes = List.copyOf(nodes);
    skews = List.copyOf(skews);
    operations = List.copyOf(operations);
    diskFaults = List.copyOf(diskFaults);
    platforms = List.copyOf(platforms);
    if (!platforms.isEmpty() && platforms.size() != nodes.size()) {
      throw new IllegalArgumentException(nodes.size() + " nodes but " + platforms.size() + " platforms");
    }
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(start, "start");
    if (nodes.size() != skews.size()) {
      throw new IllegalArgumentException(nodes.size() + " nodes but " + skews.size() + " clock skews");
    }
    if (!diskFaults.isEmpty() && diskFaults.size() != nodes.size()) {
      throw new IllegalArgumentException(nodes.size() + " nodes but " + diskFaults.size() + " disk faults");
    }
    for (StartingState.Seeded e : start.entries()) {
      if (e.node() < 0 || e.node() >= nodes.size()) {
        throw new IllegalArgumentException("starting state names node " + e.node() + " of " + nodes.size());
      }
    }
  }

  /** A scenario whose nodes all run on Linux. */
  public Scenario(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
      List<Operation> operations, StartingState start, List<DiskFaults> diskFaults) {
    this(seed, nodes, skews, faults, operations, start, diskFaults, List.of());
  }

  /** A scenario whose disks never fail. */
  public Scenario(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
      List<Operation> operations, StartingState start) {
    this(seed, nodes, skews, faults, operations, start, List.of());
  }

  /** A scenario whose folders start empty. */
  public Scenario(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
      List<Operation> operations) {
    this(seed, nodes, skews, faults, operations, StartingState.none());
  }

  /** Same as the canonical constructor; reads well in printed scenarios. */
  public static Scenario of(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
      List<Operation> operations) {
    return new Scenario(seed, nodes, skews, faults, operations);
  }

  /** Same as the canonical constructor; reads well in printed scenarios. */
  public static Scenario of(long seed, List<String> nodes, List<ClockSkew> skews, NetworkFaults faults,
      List<Operation> operations, StartingState start) {
    return new Scenario(seed, nodes, skews, faults, operations, start);
  }

  /** This scenario with each node's disk faults during the fault phase, one per node. */
  public Scenario withDiskFaults(List<DiskFaults> faults) {
    return new Scenario(seed, nodes, skews, this.faults, operations, start, faults, platforms);
  }

  /** This scenario with each node on a platform of its own ({@link Platform}), one per node. */
  public Scenario withPlatforms(List<Platform> platforms) {
    return new Scenario(seed, nodes, skews, faults, operations, start, diskFaults, platforms);
  }

  /** True if some node runs on another platform than Linux. */
  public boolean mixesPlatforms() {
    return platforms.stream().anyMatch(p -> p != Platform.LINUX);
  }

  /** True if some node's disk fails during the fault phase. */
  public boolean hasDiskFaults() {
    return diskFaults.stream().anyMatch(f -> !f.isNone());
  }

  /** {@code n} nodes named n0, n1, ... with exact clocks on a reliable network. */
  public static Scenario of(long seed, int n, List<Operation> operations) {
    List<String> names = new ArrayList<>();
    List<ClockSkew> skews = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("n" + i);
      skews.add(ClockSkew.none());
    }
    return new Scenario(seed, names, skews, NetworkFaults.none(), operations);
  }

  /** Runs the scenario with the default options and checks every invariant. */
  public SimulationReport run() {
    return run(UnaryOperator.identity());
  }

  /**
   * Runs the scenario with options changed by {@code options} (a custom resolver, say) and
   * checks every invariant.
   *
   * @throws SimulationFailure if an invariant does not hold
   */
  public SimulationReport run(UnaryOperator<SyncOptions> options) {
    return run(options, null);
  }

  /**
   * Runs the scenario as {@link #run(UnaryOperator)} does, telling {@code trace} everything
   * that happens (see {@link ClusterBuilder#trace}): for debugging a failure.
   */
  public SimulationReport run(UnaryOperator<SyncOptions> options, java.util.function.Consumer<String> trace) {
    ClusterBuilder b = SimulatedCluster.builder(seed).nodes(nodes).skews(skews).faults(faults)
        .diskFaults(diskFaults).platforms(platforms).options(options).start(start).scenario(this);
    if (trace != null) {
      b.trace(trace);
    }
    try (SimulatedCluster cluster = b.build()) {
      cluster.startAll();
      java.util.Map<String, Integer> seen = new java.util.HashMap<>();
      for (Operation op : operations) {
        cluster.apply(op);
        cluster.runBetweenOperations(op, seen.merge(op.toString(), 1, Integer::sum));
      }
      cluster.heal();
      cluster.converge();
      cluster.assertInvariants();
      return cluster.report();
    }
  }

  /**
   * Java source that rebuilds this scenario ({@code import static dev.jsync.testkit.Operation.*},
   * and {@code dev.jsync.testkit.StartingState.*} for a starting state).
   */
  public String toJava() {
    StringBuilder b = new StringBuilder("Scenario.of(").append(seed).append("L, List.of(");
    for (int i = 0; i < nodes.size(); i++) {
      b.append(i == 0 ? "" : ", ").append('"').append(nodes.get(i)).append('"');
    }
    b.append("),\n    List.of(");
    for (int i = 0; i < skews.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(skews.get(i).toJava());
    }
    b.append("),\n    ").append(faults.toJava()).append(",\n    List.of(");
    for (int i = 0; i < operations.size(); i++) {
      b.append(i == 0 ? "\n        " : ",\n        ").append(operations.get(i));
    }
    b.append(')');
    if (!start.isEmpty()) {
      b.append(",\n    ").append(start.toJava());
    }
    b.append(')');
    if (hasDiskFaults()) {
      b.append("\n    .withDiskFaults(List.of(");
      for (int i = 0; i < diskFaults.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(diskFaults.get(i).isNone() ? "DiskFaults.none()" : diskFaults.get(i).toJava());
      }
      b.append("))");
    }
    if (mixesPlatforms()) {
      b.append("\n    .withPlatforms(List.of(");
      for (int i = 0; i < platforms.size(); i++) {
        b.append(i == 0 ? "" : ", ").append("Platform.").append(platforms.get(i).name());
      }
      b.append("))");
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "Scenario[seed " + seed + ", " + nodes.size() + " nodes, " + operations.size() + " operations"
        + (start.isEmpty() ? "" : ", " + start.entries().size() + " pre-seeded entries")
        + (hasDiskFaults() ? ", disk faults" : "") + (mixesPlatforms() ? ", platforms " + platforms : "") + "]";
  }
}
