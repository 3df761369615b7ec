package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.SyncStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A cluster of {@link SyncNode}s in one thread, on a {@link SimulatedScheduler}, a
 * {@link SimulatedNetwork} and one {@link InMemoryFolder} per node (or real folders), with
 * users acting on the folders, faults on demand, and the invariants of the design as ready-made
 * assertions.
 *
 * <pre>{@code
 * try (SimulatedCluster cluster = SimulatedCluster.builder(42).nodes("laptop", "desktop", "pi").build()) {
 *   cluster.startAll();
 *   cluster.write(0, "notes/plan.md", "from the laptop");
 *   cluster.partition(0);
 *   cluster.write(1, "notes/plan.md", "from the desktop");
 *   cluster.run(Duration.ofSeconds(5));
 *   cluster.heal();
 *   cluster.converge();
 *   cluster.assertInvariants();   // converged, no lost write, no resurrection, quiescent
 * }
 * }</pre>
 *
 * <h2>The invariants</h2>
 *
 * <ul>
 *   <li>{@link #assertConverged()}: every node holds the same tree (paths, contents,
 *       executable bits, empty folders, conflict copies) and reports itself in sync;</li>
 *   <li>{@link #assertNoLostWrites()} and {@link #assertNoResurrection()}: judged from what the
 *       users did and saw, never from the engine's own bookkeeping; {@link WriteHistory} states
 *       the rules exactly (docs/testkit.md too);</li>
 *   <li>{@link #assertQuiescent()}: another full scan on every node, then a reconnect of every
 *       link, send no index record and no block;</li>
 *   <li>atomicity is checked after <em>every</em> step: each regular file in the folder of the
 *       node that just ran holds content some user wrote somewhere (temp files aside), so no
 *       partial or corrupt file is ever visible at a synced path;</li>
 *   <li>no task may throw, and {@link #converge()} must reach quiet within its step limit
 *       (a livelock fails it).</li>
 * </ul>
 * A failure throws {@link SimulationFailure}, whose message ends with the seed and the
 * operations that replay it.
 *
 * <p>Not thread-safe: everything runs on the caller's thread.
 */
public final class SimulatedCluster implements AutoCloseable {

  /** A pending task further away than this counts as idle (periodic scans, long back-offs). */
  static final Duration IDLE_HORIZON = Duration.ofSeconds(20);

  /** Settling may not take longer than this in virtual time: retries forever are a livelock. */
  static final Duration MAX_SETTLE_TIME = Duration.ofMinutes(10);

  private final long seed;
  private final SimulatedScheduler scheduler;
  private final SimulatedNetwork network;
  private final NetworkFaults faults;
  private final SyncOptions options;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<SimulatedScheduler.Process, Node> byProcess = new IdentityHashMap<>();
  private final WriteHistory history = new WriteHistory();
  private final List<String> log = new ArrayList<>();
  private final java.util.function.Consumer<String> trace;
  private final List<SimulationFailure> startFailures = new ArrayList<>();
  private final Scenario scenario;
  private final long convergenceSteps;
  private final StartingState start;
  /** Per path, the file each node held at the start (only nodes whose entry fitted). */
  private final Map<String, Map<Integer, WriteHistory.SeenFile>> seeded = new TreeMap<>();
  /** Every path a user operation touched (written, removed, renamed from or to, created on the way). */
  private final java.util.Set<String> touchedByUsers = new java.util.HashSet<>();
  private int writes;
  private int applied;
  private int skipped;

  private SimulatedCluster(Builder b) {
    this.seed = b.seed;
    this.scheduler = new SimulatedScheduler(b.seed);
    this.faults = b.faults;
    this.network = new SimulatedNetwork(scheduler, b.faults);
    this.scenario = b.scenario;
    this.convergenceSteps = b.convergenceSteps;
    this.trace = b.trace;
    this.start = b.start;
    SyncOptions o = b.options.apply(SyncOptions.defaults().withRetryDelay(Duration.ofSeconds(1))).withWatch(false);
    this.options = start.indexBatchRecords() > 0 ? o.withIndexBatchRecords(start.indexBatchRecords()) : o;
    for (int i = 0; i < b.names.size(); i++) {
      String name = b.names.get(i);
      ClockSkew skew = i < b.skews.size() ? b.skews.get(i) : ClockSkew.none();
      nodes.add(new Node(i, name, skew, b.realBase));
    }
    preseed();
    if (b.links != null) {
      List<List<DeviceId>> links = new ArrayList<>();
      for (int[] l : b.links) {
        links.add(List.of(nodes.get(l[0]).device, nodes.get(l[1]).device));
      }
      network.linkOnly(links);
    }
  }

  /** Starts building a cluster whose every random choice follows {@code seed}. */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** Builds a {@link SimulatedCluster}. Not thread-safe. */
  public static final class Builder {
    private final long seed;
    private List<String> names = List.of("n0", "n1", "n2");
    private List<ClockSkew> skews = List.of();
    private NetworkFaults faults = NetworkFaults.none();
    private UnaryOperator<SyncOptions> options = UnaryOperator.identity();
    private Path realBase;
    private List<int[]> links;
    private Scenario scenario;
    private StartingState start = StartingState.none();
    private long convergenceSteps = 200_000;
    private java.util.function.Consumer<String> trace;

    private Builder(long seed) {
      this.seed = seed;
    }

    /** {@code n} nodes named n0, n1, ... (three by default). */
    public Builder nodes(int n) {
      List<String> l = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        l.add("n" + i);
      }
      return nodes(l);
    }

    /** Nodes with these names; device ids derive from them ({@link DeviceId#fromName}). */
    public Builder nodes(String... names) {
      return nodes(List.of(names));
    }

    public Builder nodes(List<String> names) {
      if (names.isEmpty() || names.stream().distinct().count() != names.size()) {
        throw new IllegalArgumentException("node names must be distinct and at least one: " + names);
      }
      this.names = List.copyOf(names);
      return this;
    }

    /** Each node's clock skew, by index; nodes beyond the list have exact clocks. */
    public Builder skews(List<ClockSkew> skews) {
      this.skews = List.copyOf(skews);
      return this;
    }

    /** The network's fault rates until {@link SimulatedCluster#heal()} (default: none). */
    public Builder faults(NetworkFaults faults) {
      this.faults = Objects.requireNonNull(faults);
      return this;
    }

    /**
     * Changes every node's options, e.g. {@code o -> o.withResolver(myResolver)}. The watcher is
     * always off (the simulator scans what users touch); retries wait 1 s instead of 10.
     */
    public Builder options(UnaryOperator<SyncOptions> options) {
      this.options = Objects.requireNonNull(options);
      return this;
    }

    /**
     * Puts each node's folder in {@code base/<name>} on the real file system instead of in
     * memory. Virtual time still stamps every file the simulation writes.
     */
    public Builder realFolders(Path base) {
      this.realBase = Objects.requireNonNull(base);
      return this;
    }

    /** Lets only these pairs of nodes (by index) connect, e.g. a chain {@code {0,1},{1,2}}. */
    public Builder links(int[]... pairs) {
      this.links = List.of(pairs);
      return this;
    }

    /**
     * Receives a line for every user operation, fault and engine event, stamped with virtual
     * time: a narrative of the run for debugging a failure (e.g. {@code System.out::println}).
     */
    public Builder trace(java.util.function.Consumer<String> trace) {
      this.trace = Objects.requireNonNull(trace);
      return this;
    }

    /** The step limit of {@link SimulatedCluster#converge()} (default 200,000). */
    public Builder convergenceSteps(long steps) {
      this.convergenceSteps = steps;
      return this;
    }

    /**
     * What the folders hold before the nodes first start, with no index state (a vault copied
     * to each device before jSync runs there), and the index batch size it asks for.
     */
    public Builder start(StartingState start) {
      this.start = Objects.requireNonNull(start);
      return this;
    }

    Builder scenario(Scenario s) {
      this.scenario = s;
      return this;
    }

    public SimulatedCluster build() {
      return new SimulatedCluster(this);
    }
  }

  /** One simulated device: its clock, folder, store and (while running) its node. */
  public final class Node {
    private final int index;
    private final String name;
    private final DeviceId device;
    private final SimulatedClock clock;
    private final InMemoryFolder memory;
    private final Path folder;
    private final UserActions user;
    private final List<SyncEvent> events = new ArrayList<>();
    private final Map<String, Object[]> verified = new HashMap<>();
    /** Every content seen on this node's disk after one of its steps (invariant 7). */
    private final Set<Sha256> seenOnDisk = new HashSet<>();
    /** This node's version history, beside its folder (never inside it). */
    private final VersionStore versions;
    private InMemoryIndexStore store = new InMemoryIndexStore();
    private SimulatedScheduler.Process process;
    private SyncNode syncNode;
    private int incarnation;

    Node(int index, String name, ClockSkew skew, Path realBase) {
      this.index = index;
      this.name = name;
      this.device = DeviceId.fromName(name);
      this.clock = new SimulatedClock(scheduler, skew);
      if (realBase == null) {
        this.memory = InMemoryFolder.create(clock);
        this.folder = memory.root();
      } else {
        this.memory = null;
        this.folder = realBase.resolve(name);
        try {
          Files.createDirectories(folder);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      this.user = new UserActions(name, folder, clock, history);
      // Unlimited retention: the simulation checks that nothing is lost, not when things expire.
      this.versions = VersionStore.open(folder.resolveSibling(folder.getFileName() + ".state"), folder,
          Retention.unlimited(), clock, scheduler.randomFor("versions " + name));
    }

    /** This node's version store. */
    public VersionStore versions() {
      return versions;
    }

    public int index() {
      return index;
    }

    public String name() {
      return name;
    }

    public DeviceId device() {
      return device;
    }

    public SimulatedClock clock() {
      return clock;
    }

    public Path folder() {
      return folder;
    }

    /** The store, which survives crashes (a new instance after each). */
    public InMemoryIndexStore store() {
      return store;
    }

    /** The running node, or null while crashed or not started. */
    public SyncNode syncNode() {
      return syncNode;
    }

    public boolean isRunning() {
      return syncNode != null;
    }

    /** Events of every incarnation of this node, in order. */
    public List<SyncEvent> events() {
      return Collections.unmodifiableList(events);
    }

    void start() {
      if (syncNode != null) {
        return;
      }
      incarnation++;
      process = scheduler.process(name + "#" + incarnation);
      byProcess.put(process, this);
      SyncNode n = SyncNode.builder(folder, store, network.transport(device))
          .device(device)
          .options(options.withDeviceName(name))
          .clock(clock)
          .executors(process.control(), process.io())
          .random(scheduler.randomFor("engine " + name + "#" + incarnation))
          .versions(versions)
          .listener(e -> {
            events.add(e);
            trace(name + ": " + e);
          })
          .build();
      syncNode = n;
      n.startAsync().whenComplete((ok, err) -> {
        if (err != null) {
          startFailures.add(fail("no exceptions", name + " failed to start: " + err, err));
        }
      });
      scheduler.record("start " + name);
    }

    void crash() {
      if (syncNode == null) {
        return;
      }
      process.kill();
      network.crash(device);
      store = store.reopen();
      syncNode = null;
      scheduler.record("crash " + name);
    }

    void scan(List<String> paths) {
      if (syncNode != null) {
        List<RelativePath> rel = new ArrayList<>();
        for (String p : paths) {
          rel.add(RelativePath.of(p));
        }
        syncNode.scan(rel);
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Puts the starting state's files and folders on the nodes' disks; none is running yet. */
  private void preseed() {
    for (StartingState.Seeded e : start.entries()) {
      if (e.node() < 0 || e.node() >= nodes.size()) {
        throw new IllegalArgumentException("starting state names node " + e.node() + " of " + nodes.size());
      }
      Node n = nodes.get(e.node());
      String label = e.toString();
      Optional<List<String>> done;
      if (e instanceof StartingState.SeededFile f) {
        byte[] bytes = StartingState.bytes(f.content());
        FileTime time = FileTime.from(scheduler.start().minusSeconds(f.ageSeconds()));
        done = n.user.seed(f.path(), bytes, f.executable(), time, label);
        if (done.isPresent()) {
          seeded.computeIfAbsent(f.path(), k -> new TreeMap<>())
              .put(e.node(), new WriteHistory.SeenFile(Sha256.of(bytes), f.executable()));
        }
      } else {
        done = n.user.mkdir(e.path(), label);
      }
      log.add(label + (done.isPresent() ? "" : "  [skipped]"));
      if (done.isPresent()) {
        scheduler.record(label);
      }
    }
  }

  // ---------------------------------------------------------------- access

  public long seed() {
    return seed;
  }

  public SimulatedScheduler scheduler() {
    return scheduler;
  }

  public SimulatedNetwork network() {
    return network;
  }

  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** What node {@code index}'s folder holds now. */
  public FolderTree tree(int index) {
    return FolderTree.of(nodes.get(index).folder);
  }

  // ---------------------------------------------------------------- life cycle and faults

  /** Starts every node that is not running. */
  public void startAll() {
    for (Node n : nodes) {
      n.start();
    }
  }

  /** Starts node {@code index} (again, after a crash, from its store and folder). */
  public void start(int index) {
    nodes.get(index).start();
  }

  /** Node {@code index}'s process dies: queued work, timers and connections are lost at once. */
  public void crash(int index) {
    nodes.get(index).crash();
  }

  /** Cuts the nodes in {@code side} off from the others until {@link #healNetwork()} or {@link #heal()}. */
  public void partition(int... side) {
    List<DeviceId> ids = new ArrayList<>();
    for (int i : side) {
      ids.add(nodes.get(i).device);
    }
    network.partition(ids);
  }

  /** Ends every partition; fault rates and crashed nodes stay as they are. */
  public void healNetwork() {
    network.heal();
  }

  /** Resets the connection between two nodes, if any. */
  public void resetLink(int a, int b) {
    network.reset(nodes.get(a).device, nodes.get(b).device);
  }

  /**
   * A second connection between two nodes handshakes while their current one still delivers,
   * and replaces it (see {@link SimulatedNetwork#rehandshake}).
   */
  public void rehandshake(int a, int b) {
    network.rehandshake(nodes.get(a).device, nodes.get(b).device);
  }

  /** Ends the fault phase: partitions end, fault rates drop to zero, crashed nodes restart. */
  public void heal() {
    network.heal();
    network.setFaults(faults.healed());
    startAll();
    log.add("-- heal --");
  }

  /** Carries out one script operation (see {@link Operation}); returns false if it was skipped. */
  public boolean apply(Operation op) {
    boolean done = true;
    if (op instanceof Operation.Write w) {
      done = userOp(w.node(), w.toString(),
          u -> u.write(w.path(), freshContent(w.node(), w.path(), w.size()), w.toString()));
    } else if (op instanceof Operation.Append a) {
      done = userOp(a.node(), a.toString(),
          u -> u.append(a.path(), freshContent(a.node(), a.path(), a.size()), a.toString()));
    } else if (op instanceof Operation.Delete d) {
      done = userOp(d.node(), d.toString(), u -> u.delete(d.path(), d.toString()));
    } else if (op instanceof Operation.Rename r) {
      done = userOp(r.node(), r.toString(), u -> u.rename(r.from(), r.to(), r.toString()));
    } else if (op instanceof Operation.Mkdir m) {
      done = userOp(m.node(), m.toString(), u -> u.mkdir(m.path(), m.toString()));
    } else if (op instanceof Operation.Rmdir m) {
      done = userOp(m.node(), m.toString(), u -> u.rmdir(m.path(), m.toString()));
    } else if (op instanceof Operation.Chmod c) {
      done = userOp(c.node(), c.toString(), u -> u.chmod(c.path(), c.executable(), c.toString()));
    } else if (op instanceof Operation.Wait w) {
      run(w.duration());
    } else if (op instanceof Operation.Partition p) {
      partition(p.side().stream().mapToInt(Integer::intValue).toArray());
    } else if (op instanceof Operation.Heal) {
      healNetwork();
    } else if (op instanceof Operation.ResetLink r) {
      if (r.a() != r.b()) {
        resetLink(r.a(), r.b());
      }
    } else if (op instanceof Operation.Rehandshake r) {
      if (r.a() != r.b()) {
        rehandshake(r.a(), r.b());
      }
    } else if (op instanceof Operation.Crash c) {
      crash(c.node());
    } else if (op instanceof Operation.Restart r) {
      start(r.node());
    } else {
      throw new IllegalArgumentException("unknown operation " + op);
    }
    if (op.isFault() || op instanceof Operation.Wait) {
      trace("fault: " + op);
      log.add(op.toString());
      scheduler.record(op.toString());
    }
    return done;
  }

  /** Writes {@code content} to {@code path} on node {@code index}, then scans it; false if skipped. */
  public boolean write(int index, String path, byte[] content) {
    return userOp(index, "write(" + index + ", " + path + ", <" + content.length + " bytes>)",
        u -> u.write(path, content.clone(), "write on " + nodes.get(index).name));
  }

  /** Writes {@code text} in UTF-8. */
  public boolean write(int index, String path, String text) {
    return write(index, path, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the file at {@code path} on node {@code index}; false if there is none. */
  public boolean delete(int index, String path) {
    return apply(Operation.delete(index, path));
  }

  /** Renames a file on node {@code index}; false if it does not fit. */
  public boolean rename(int index, String from, String to) {
    return apply(Operation.rename(index, from, to));
  }

  /** Creates a folder on node {@code index}; false if something is there. */
  public boolean mkdir(int index, String path) {
    return apply(Operation.mkdir(index, path));
  }

  /** Removes an empty folder on node {@code index}; false if it is not one. */
  public boolean rmdir(int index, String path) {
    return apply(Operation.rmdir(index, path));
  }

  /** Sets or clears a file's executable bit on node {@code index}; false if nothing changes. */
  public boolean chmod(int index, String path, boolean executable) {
    return apply(Operation.chmod(index, path, executable));
  }

  private boolean userOp(int index, String label, java.util.function.Function<UserActions, Optional<List<String>>> action) {
    Node n = nodes.get(index);
    // Users are not that fast: a millisecond passes before each action, so that two saves of
    // one file never share a modification time (see docs/testkit.md on "racy" timestamps).
    run(Duration.ofMillis(1));
    Optional<List<String>> touched = action.apply(n.user);
    if (touched.isEmpty()) {
      skipped++;
      log.add(label + "  [skipped]");
      return false;
    }
    applied++;
    touchedByUsers.addAll(touched.get());
    log.add(label);
    scheduler.record(label);
    trace(n.name + " user: " + label + " -> " + touched.get());
    n.scan(touched.get());
    checkAtomic(n);
    return true;
  }

  /**
   * Content no other write produces: a tag naming the write, then filler up to {@code size}.
   * Size 0 writes an empty file, the one content every such write shares.
   */
  private byte[] freshContent(int index, String path, int size) {
    writes++;
    if (size == 0) {
      return new byte[0];
    }
    byte[] tag = ("#" + writes + " " + nodes.get(index).name + ":" + path + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(size, tag.length)];
    System.arraycopy(tag, 0, out, 0, tag.length);
    SplittableRandom r = new SplittableRandom(SimulatedScheduler.mix(seed + writes));
    for (int i = tag.length; i < out.length; i++) {
      out[i] = (byte) ('a' + r.nextInt(26));
    }
    return out;
  }

  // ---------------------------------------------------------------- running

  /** Runs the cluster for {@code duration} of virtual time. */
  public void run(Duration duration) {
    long end = scheduler.nanos() + duration.toNanos();
    while (scheduler.nextDue().map(d -> scheduler.nanos() + d.toNanos() <= end).orElse(false)) {
      step();
    }
    scheduler.runFor(Duration.ofNanos(Math.max(0, end - scheduler.nanos())), 0);
  }

  /**
   * Between two script operations: a pause of 0 to 50 ms (none a third of the time), drawn
   * from the seed and the operation itself rather than from its position, so that removing
   * another operation (as jqwik does when it shrinks a script) leaves this pause unchanged.
   */
  void runBetweenOperations(Operation op, int occurrence) {
    long r = SimulatedScheduler.mix(seed ^ SimulatedScheduler.mix(op.toString().hashCode() * 31L + occurrence));
    if (Long.remainderUnsigned(r, 3) != 0) {
      run(Duration.ofMillis(Long.remainderUnsigned(r >>> 8, 51)));
    }
  }

  /**
   * Runs until nothing is due within 20 s of virtual time (periodic scans aside).
   *
   * @return steps taken
   * @throws SimulationFailure if {@code maxSteps} or 10 minutes of virtual time run out first:
   *     the cluster does not settle (a livelock, such as a pull that fails and retries forever)
   */
  public long runUntilQuiescent(long maxSteps) {
    long before = scheduler.steps();
    long deadline = scheduler.nanos() + MAX_SETTLE_TIME.toNanos();
    while (!scheduler.isIdle(IDLE_HORIZON)) {
      if (scheduler.steps() - before >= maxSteps || scheduler.nanos() > deadline) {
        throw fail("progress", "the cluster did not settle within " + maxSteps + " steps and "
            + MAX_SETTLE_TIME.toMinutes() + " minutes of virtual time (" + (scheduler.steps() - before) + " steps, "
            + scheduler.pending() + " tasks pending, next in " + scheduler.nextDue().orElse(null) + ")\n"
            + statusLines(), null);
      }
      step();
    }
    return scheduler.steps() - before;
  }

  /**
   * The convergence phase, after {@link #heal()}: runs until quiet, then long enough for every
   * node's periodic full scan, then until quiet again.
   */
  public void converge() {
    runUntilQuiescent(convergenceSteps);
    run(options.scanInterval().plusSeconds(1));
    runUntilQuiescent(convergenceSteps);
  }

  private void step() {
    scheduler.step();
    if (!startFailures.isEmpty()) {
      throw startFailures.get(0);
    }
    if (!scheduler.uncaughtExceptions().isEmpty()) {
      throw fail("no exceptions", "a task threw: " + scheduler.uncaughtExceptions().get(0),
          scheduler.firstUncaughtException().orElse(null));
    }
    scheduler.lastProcess().map(byProcess::get).ifPresent(this::checkAtomic);
  }

  // ---------------------------------------------------------------- invariants

  /**
   * Checks every invariant: converged (with no temp file left), no lost write, no resurrection,
   * identical starting files moved no data, links kept, then quiescent.
   */
  public void assertInvariants() {
    assertConverged();
    assertNoLostWrites();
    assertRecoverable();
    assertNoResurrection();
    assertIdenticalStartMovesNothing();
    assertLinksKept();
    assertQuiescent();
  }

  /**
   * A path that held the same bytes with the same executable bit on every node at the start
   * ({@link Builder#start}) and that no user touched since: no node pulled it (no block reply
   * for it) and no node holds a conflict copy of it, whatever its modification times. Inline
   * blocks are not counted here: a node may send a small file along with its record before it
   * has its peer's index, so before it can know that the peer holds it (a waste, which
   * {@link SimulatedNetwork#inlineBytesSent(RelativePath)} measures, not an error).
   */
  public void assertIdenticalStartMovesNothing() {
    List<String> wrong = new ArrayList<>();
    for (String path : identicalStartPaths()) {
      long blocks = network.blockBytesSent(RelativePath.of(path));
      if (blocks != 0) {
        wrong.add(path + ": pulled: " + blocks + " bytes in block replies (and "
            + network.inlineBytesSent(RelativePath.of(path)) + " bytes inline)");
      }
      for (Node n : nodes) {
        for (String copy : FolderTree.of(n.folder).conflictCopies()) {
          if (WriteHistory.isConflictCopyOf(copy, path)) {
            wrong.add(path + ": " + n.name + " holds a conflict copy " + copy);
          }
        }
      }
    }
    if (!wrong.isEmpty()) {
      throw fail("identical files move nothing", "paths identical on every node at the start, untouched since:\n    "
          + String.join("\n    ", wrong) + "\nindex records:\n"
          + indexRecords(wrong.stream().map(w -> w.substring(0, w.indexOf(':'))).distinct().toList()), null);
    }
  }

  /**
   * Paths that held the same bytes and executable bit on every node at the start and that no
   * user operation touched since.
   */
  public List<String> identicalStartPaths() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, WriteHistory.SeenFile>> e : seeded.entrySet()) {
      if (e.getValue().size() == nodes.size() && e.getValue().values().stream().distinct().count() == 1
          && !touchedByUsers.contains(e.getKey())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * No engine closed a link itself except to replace it or to shut down: the simulated network
   * delivers every index stream in order or shows its faults in ways an engine can repair (an
   * overlapping or repeated batch is skipped, a gap asks the sender to resume).
   */
  public void assertLinksKept() {
    List<String> closes = network.linksClosedByEngines().stream()
        .filter(c -> !c.contains(": replaced by a newer connection") && !c.contains(": shutting down"))
        .toList();
    if (!closes.isEmpty()) {
      throw fail("links kept", "an engine closed a link on an index stream it could have repaired:\n    "
          + String.join("\n    ", closes), null);
    }
  }

  /**
   * Every node runs, holds the same tree, reports itself in sync, and holds no jSync temp file
   * (invariant 5: a converged tree holds no temporary file).
   */
  public void assertConverged() {
    Node first = nodes.get(0);
    for (Node n : nodes) {
      if (!n.isRunning()) {
        throw fail("converged", n.name + " is not running (call heal() first)", null);
      }
    }
    FolderTree reference = FolderTree.of(first.folder);
    for (Node n : nodes.subList(1, nodes.size())) {
      FolderTree t = FolderTree.of(n.folder);
      if (!t.equals(reference)) {
        throw fail("converged", first.name + " and " + n.name + " differ:\n    "
            + String.join("\n    ", reference.diff(t)) + "\n" + first.name + ":\n" + reference + n.name + ":\n" + t
            + "index records of the paths that differ:\n" + indexRecords(reference.diffPaths(t)), null);
      }
    }
    for (Node n : nodes) {
      List<String> temps = FolderTree.tempFiles(n.folder);
      if (!temps.isEmpty()) {
        throw fail("no temp file", n.name + " holds " + temps.size() + " temp file(s) once converged:\n    "
            + String.join("\n    ", temps), null);
      }
    }
    for (Node n : nodes) {
      SyncStatus s = n.syncNode.status();
      if (s.filesNeeded() != 0 || !s.peers().stream().allMatch(p -> p.inSync())) {
        throw fail("converged", n.name + " does not report itself in sync: " + s, null);
      }
    }
  }

  /** Every version no user superseded survives on every node, at its path or as a conflict copy. */
  public void assertNoLostWrites() {
    for (Node n : nodes) {
      List<String> lost = history.lostWrites(FolderTree.of(n.folder));
      if (!lost.isEmpty()) {
        throw fail("no lost write", n.name + " lost " + lost.size() + " version(s):\n    "
            + String.join("\n    ", lost) + "\n" + n.name + " holds:\n" + FolderTree.of(n.folder), null);
      }
    }
  }

  /**
   * Invariant 7: every content a node's disk held that no user on that node overwrote or deleted
   * there is, now, on some node's disk or in some node's version store. (Content a user threw
   * away on every disk that held it is the user's own doing; retention is unlimited here.)
   */
  public void assertRecoverable() {
    Set<Sha256> kept = new HashSet<>();
    for (Node n : nodes) {
      for (FolderTree.Entry e : FolderTree.of(n.folder).entries().values()) {
        if (e instanceof FolderTree.File f) {
          kept.add(f.content());
        }
      }
      try {
        for (dev.jsync.core.history.Version v : n.versions.list()) {
          kept.add(Sha256.parse(v.sha256()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> lost = new ArrayList<>();
    for (Node n : nodes) {
      for (Sha256 c : n.seenOnDisk) {
        if (!kept.contains(c) && !history.discardedOn(n.name, c)) {
          lost.add(c.toString().substring(0, 12) + " was on " + n.name + "'s disk; "
              + history.versions().stream().filter(v -> !v.folder && v.content.equals(c)).map(Object::toString)
                  .findFirst().orElse("(no user version)"));
        }
      }
    }
    if (!lost.isEmpty()) {
      throw fail("recoverable", lost.size() + " content(s) neither on any disk nor in any version store:\n    "
          + String.join("\n    ", lost), null);
    }
  }

  /** Nothing a user removed comes back unless a concurrent edit wanted it. */
  public void assertNoResurrection() {
    for (Node n : nodes) {
      List<String> back = history.resurrections(FolderTree.of(n.folder));
      if (!back.isEmpty()) {
        List<String> paths = back.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        throw fail("no resurrection", n.name + ":\n    " + String.join("\n    ", back)
            + "\nindex records:\n" + indexRecords(paths), null);
      }
    }
  }

  /**
   * A full scan on every node, then a reset of every connection, move no block and send no
   * index record, and leave the trees as they were.
   */
  public void assertQuiescent() {
    long records = network.indexRecordsSent();
    long requests = network.blockRequestsSent();
    long bytes = network.blockBytesSent();
    List<FolderTree> before = new ArrayList<>();
    for (Node n : nodes) {
      before.add(FolderTree.of(n.folder));
      n.syncNode.scanNow();
    }
    runUntilQuiescent(convergenceSteps);
    String afterScan = counters(records, requests, bytes);
    network.resetAll();
    runUntilQuiescent(convergenceSteps);
    String afterReconnect = counters(records, requests, bytes);
    if (!afterScan.isEmpty() || !afterReconnect.isEmpty()) {
      throw fail("quiescent", "a converged cluster still sent something"
          + (afterScan.isEmpty() ? "" : "\n    after a full scan: " + afterScan)
          + (afterReconnect.isEmpty() ? "" : "\n    after a reconnect: " + afterReconnect), null);
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (!FolderTree.of(nodes.get(i).folder).equals(before.get(i))) {
        throw fail("quiescent", nodes.get(i).name + "'s folder changed after convergence", null);
      }
    }
    assertConverged();
  }

  private String counters(long records, long requests, long bytes) {
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

  /** Every regular file of {@code n}'s folder holds some content a user wrote (temp files aside). */
  private void checkAtomic(Node n) {
    try {
      Files.walkFileTree(n.folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (!attrs.isRegularFile() || FolderTree.isTemp(file)) {
            return FileVisitResult.CONTINUE;
          }
          String rel = FolderTree.relative(n.folder, file);
          Object[] key = {attrs.fileKey(), attrs.size(), attrs.lastModifiedTime()};
          Object[] seen = n.verified.get(rel);
          if (seen != null && java.util.Arrays.equals(seen, key)) {
            return FileVisitResult.CONTINUE;
          }
          Sha256 content = Sha256.of(Files.readAllBytes(file));
          if (!history.isKnownContent(content)) {
            throw fail("atomic", n.name + ": " + rel + " holds " + attrs.size() + " bytes that no user wrote anywhere"
                + " (a partial or corrupt file at a synced path) at " + scheduler.elapsed(), null);
          }
          n.verified.put(rel, key);
          n.seenOnDisk.add(content);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void trace(String line) {
    if (trace != null) {
      trace.accept(String.format("[%10.6fs] %s", scheduler.nanos() / 1e9, line));
    }
  }

  /** Every node's index record of each of {@code paths}, for failure messages. */
  private String indexRecords(List<String> paths) {
    StringBuilder b = new StringBuilder();
    for (String p : paths) {
      for (Node n : nodes) {
        b.append("    ").append(n.name).append(": ")
            .append(n.store.local(RelativePath.of(p)).map(e -> e.record().toString()).orElse(p + " not in the index"))
            .append('\n');
      }
    }
    return b.toString();
  }

  private String statusLines() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      b.append("    ").append(n.name).append(": ")
          .append(n.syncNode == null ? "down" : String.valueOf(n.syncNode.status())).append('\n');
    }
    return b.toString();
  }

  SimulationFailure fail(String invariant, String message, Throwable cause) {
    StringBuilder b = new StringBuilder();
    b.append(invariant).append(" violated: ").append(message).append("\n\nseed ").append(seed).append(", nodes ");
    for (Node n : nodes) {
      b.append(n.name).append(n.clock.skew().offset().isZero() && n.clock.skew().driftPpm() == 0 ? "" : "(" + n.clock.skew() + ")")
          .append(' ');
    }
    b.append("\noperations, in order:\n");
    for (String l : log) {
      b.append("    ").append(l).append('\n');
    }
    if (scenario != null) {
      b.append("\nreplay with:\n").append(scenario.toJava()).append(".run();\n");
    }
    return new SimulationFailure(invariant, b.toString(), cause);
  }

  /** What the run did; the trace hash includes every node's final tree. */
  public SimulationReport report() {
    long hash = scheduler.traceHash();
    FolderTree last = null;
    for (Node n : nodes) {
      last = FolderTree.of(n.folder);
      hash = SimulatedScheduler.mix(hash ^ last.hashCode());
    }
    return new SimulationReport(hash, scheduler.steps(), scheduler.elapsed(), applied, skipped,
        network.indexRecordsSent(), network.blockBytesSent(), network.connectionsOpened(),
        last == null ? 0 : last.conflictCopies().size(), last == null ? 0 : last.entries().size(),
        network.rehandshakes(), network.batchesRepeated(), network.batchesSkipped(), network.overlappingBatches(),
        network.indexRequestsSent());
  }

  /** Stops every node and frees the in-memory folders. */
  @Override
  public void close() {
    for (Node n : nodes) {
      if (n.process != null) {
        n.process.kill();
      }
      if (n.memory != null) {
        n.memory.close();
      }
    }
  }
}
