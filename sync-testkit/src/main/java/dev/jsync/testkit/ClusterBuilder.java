package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link SimulatedCluster}: its nodes, clocks, network and disk faults, options and
 * starting folders. Start with {@link SimulatedCluster#builder(long)}. Not thread-safe.
 */
public final class ClusterBuilder {
  final long seed;
  List<String> names = List.of("n0", "n1", "n2");
  List<ClockSkew> skews = List.of();
  NetworkFaults faults = NetworkFaults.none();
  List<DiskFaults> diskFaults = List.of();
  List<Platform> platforms = List.of();
  UnaryOperator<SyncOptions> options = UnaryOperator.identity();
  Path realBase;
  List<int[]> links;
  Scenario scenario;
  StartingState start = StartingState.none();
  long convergenceSteps = 200_000;
  Consumer<String> trace;

  ClusterBuilder(long seed) {
    this.seed = seed;
  }

  /** {@code n} nodes named n0, n1, ... (three by default). */
  public ClusterBuilder nodes(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add("n" + i);
    }
    return nodes(l);
  }

  /** Nodes with these names; device ids derive from them ({@link DeviceId#fromName}). */
  public ClusterBuilder nodes(String... names) {
    return nodes(List.of(names));
  }

  public ClusterBuilder nodes(List<String> names) {
    if (names.isEmpty() || names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("node names must be distinct and at least one: " + names);
    }
    this.names = List.copyOf(names);
    return this;
  }

  /** Each node's clock skew, by index; nodes beyond the list have exact clocks. */
  public ClusterBuilder skews(List<ClockSkew> skews) {
    this.skews = List.copyOf(skews);
    return this;
  }

  /** The network's fault rates until {@link SimulatedCluster#heal()} (default: none). */
  public ClusterBuilder faults(NetworkFaults faults) {
    this.faults = Objects.requireNonNull(faults);
    return this;
  }

  /**
   * Each node's disk faults until {@link SimulatedCluster#heal()}, by index; nodes beyond the
   * list have disks that do not fail. Every node's disk is a {@link FaultyDisk} in any case, so
   * a crash always loses what the node had not flushed.
   */
  public ClusterBuilder diskFaults(List<DiskFaults> faults) {
    this.diskFaults = List.copyOf(faults);
    return this;
  }

  /**
   * Each node's platform ({@link Platform}: how its folder names files), by index; nodes beyond
   * the list run on Linux. For folders in memory only.
   */
  public ClusterBuilder platforms(List<Platform> platforms) {
    this.platforms = List.copyOf(platforms);
    return this;
  }

  /**
   * Changes every node's options, e.g. {@code o -> o.withResolver(myResolver)}. The watcher is
   * always off (the simulator scans what users touch); retries wait 1 s instead of 10.
   */
  public ClusterBuilder options(UnaryOperator<SyncOptions> options) {
    this.options = Objects.requireNonNull(options);
    return this;
  }

  /**
   * Puts each node's folder in {@code base/<name>} on the real file system instead of in
   * memory. Virtual time still stamps every file the simulation writes.
   */
  public ClusterBuilder realFolders(Path base) {
    this.realBase = Objects.requireNonNull(base);
    return this;
  }

  /** Lets only these pairs of nodes (by index) connect, e.g. a chain {@code {0,1},{1,2}}. */
  public ClusterBuilder links(int[]... pairs) {
    this.links = List.of(pairs);
    return this;
  }

  /**
   * Receives a line for every user operation, fault and engine event, stamped with virtual
   * time: a narrative of the run for debugging a failure (e.g. {@code System.out::println}).
   */
  public ClusterBuilder trace(Consumer<String> trace) {
    this.trace = Objects.requireNonNull(trace);
    return this;
  }

  /** The step limit of {@link SimulatedCluster#converge()} (default 200,000). */
  public ClusterBuilder convergenceSteps(long steps) {
    this.convergenceSteps = steps;
    return this;
  }

  /**
   * What the folders hold before the nodes first start, with no index state (a vault copied
   * to each device before jSync runs there), and the index batch size it asks for.
   */
  public ClusterBuilder start(StartingState start) {
    this.start = Objects.requireNonNull(start);
    return this;
  }

  ClusterBuilder scenario(Scenario s) {
    this.scenario = s;
    return this;
  }

  public SimulatedCluster build() {
    return new SimulatedCluster(this);
  }
}
