package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

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
 * <p>Each is checked by a class of its own, as VOPR keeps its checkers apart; the runner
 * ({@code ClusterRunner}) steps the scheduler and checks atomicity after every step.
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

  private final ClusterContext cluster;
  private final List<ClusterNode> nodes;
  private final SimulatedScheduler scheduler;
  private final SimulatedNetwork network;
  private final WriteHistory history;
  private final List<String> log;
  private final AtomicityChecker atomicity;
  private final ClusterRunner runner;
  private final ConvergenceChecker converged;
  private final IdenticalStartChecker identicalStart;
  private int writes;
  private int applied;
  private int skipped;
  private NoteMergeChecker.Counts noteEdits = new NoteMergeChecker.Counts(0, 0);

  /** The lines of a note an {@link Operation.EditLine} writes where there is no file. */
  static final int NOTE_LINES = 8;

  SimulatedCluster(ClusterBuilder b) {
    SyncOptions o = b.options.apply(SyncOptions.defaults().withRetryDelay(Duration.ofSeconds(1))).withWatch(false);
    this.cluster = new ClusterContext(b, b.start.indexBatchRecords() > 0 ? o.withIndexBatchRecords(b.start.indexBatchRecords()) : o);
    this.nodes = cluster.nodes;
    this.scheduler = cluster.scheduler;
    this.network = cluster.network;
    this.history = cluster.history;
    this.log = cluster.log;
    this.atomicity = new AtomicityChecker(cluster);
    this.runner = new ClusterRunner(cluster, atomicity);
    this.converged = new ConvergenceChecker(cluster);
    this.identicalStart = new IdenticalStartChecker(cluster);
    for (int i = 0; i < b.names.size(); i++) {
      ClockSkew skew = i < b.skews.size() ? b.skews.get(i) : ClockSkew.none();
      DiskFaults disk = i < b.diskFaults.size() ? b.diskFaults.get(i) : DiskFaults.none();
      Platform platform = i < b.platforms.size() ? b.platforms.get(i) : Platform.LINUX;
      nodes.add(new ClusterNode(cluster, i, b.names.get(i), skew, disk, b.realBase, platform));
    }
    preseed(b.start);
    if (b.links != null) {
      List<List<DeviceId>> links = new ArrayList<>();
      for (int[] l : b.links) {
        links.add(List.of(nodes.get(l[0]).device(), nodes.get(l[1]).device()));
      }
      network.linkOnly(links);
    }
  }

  /** Starts building a cluster whose every random choice follows {@code seed}. */
  public static ClusterBuilder builder(long seed) {
    return new ClusterBuilder(seed);
  }

  /** Puts the starting state's files and folders on the nodes' disks; none is running yet. */
  private void preseed(StartingState start) {
    for (StartingState.Seeded e : start.entries()) {
      if (e.node() < 0 || e.node() >= nodes.size()) {
        throw new IllegalArgumentException("starting state names node " + e.node() + " of " + nodes.size());
      }
      ClusterNode n = nodes.get(e.node());
      String label = e.toString();
      Optional<List<String>> done;
      if (e instanceof StartingState.SeededFile f) {
        byte[] bytes = StartingState.bytes(f.content());
        FileTime time = FileTime.from(scheduler.start().minusSeconds(f.ageSeconds()));
        done = n.user().seed(f.path(), bytes, f.executable(), time, label);
        if (done.isPresent()) {
          cluster.seeded.computeIfAbsent(f.path(), k -> new TreeMap<>())
              .put(e.node(), new WriteHistory.SeenFile(Sha256.of(bytes), f.executable()));
        }
      } else {
        done = n.user().mkdir(e.path(), label);
      }
      log.add(label + (done.isPresent() ? "" : "  [skipped]"));
      if (done.isPresent()) {
        scheduler.record(label);
      }
    }
  }

  // ---------------------------------------------------------------- access

  public long seed() {
    return cluster.seed;
  }

  public SimulatedScheduler scheduler() {
    return scheduler;
  }

  public SimulatedNetwork network() {
    return network;
  }

  public List<ClusterNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public ClusterNode node(int index) {
    return nodes.get(index);
  }

  /** What node {@code index}'s folder holds now. */
  public FolderTree tree(int index) {
    return FolderTree.of(nodes.get(index).folder());
  }

  // ---------------------------------------------------------------- life cycle and faults

  /** Starts every node that is not running. */
  public void startAll() {
    for (ClusterNode n : nodes) {
      n.start();
    }
  }

  /** Starts node {@code index} (again, after a crash, from its store and folder). */
  public void start(int index) {
    nodes.get(index).start();
  }

  /**
   * Node {@code index}'s process dies, as in a power cut: queued work, timers and connections are
   * lost at once, and so is what it had written but not flushed (see {@link FaultyDisk#crash()}).
   */
  public void crash(int index) {
    nodes.get(index).crash();
  }

  /** Cuts the nodes in {@code side} off from the others until {@link #healNetwork()} or {@link #heal()}. */
  public void partition(int... side) {
    List<DeviceId> ids = new ArrayList<>();
    for (int i : side) {
      ids.add(nodes.get(i).device());
    }
    network.partition(ids);
  }

  /** Ends every partition; fault rates and crashed nodes stay as they are. */
  public void healNetwork() {
    network.heal();
  }

  /** Resets the connection between two nodes, if any. */
  public void resetLink(int a, int b) {
    network.reset(nodes.get(a).device(), nodes.get(b).device());
  }

  /**
   * A second connection between two nodes handshakes while their current one still delivers,
   * and replaces it (see {@link SimulatedNetwork#rehandshake}).
   */
  public void rehandshake(int a, int b) {
    network.rehandshake(nodes.get(a).device(), nodes.get(b).device());
  }

  /**
   * Ends the fault phase: partitions end, network fault rates drop to zero, disks stop failing,
   * crashed nodes restart.
   */
  public void heal() {
    network.heal();
    network.setFaults(cluster.faults.healed());
    for (ClusterNode n : nodes) {
      n.healDisk();
    }
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
    } else if (op instanceof Operation.EditLine e) {
      done = userOp(e.node(), e.toString(), u -> u.edit(e.path(), old -> editLine(e, old), e.toString()));
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
      cluster.chmodAfterEdits.put(c.path(), cluster.lineEdits.size());
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
      cluster.trace("fault: " + op);
      log.add(op.toString());
      scheduler.record(op.toString());
    }
    return done;
  }

  /** Writes {@code content} to {@code path} on node {@code index}, then scans it; false if skipped. */
  public boolean write(int index, String path, byte[] content) {
    return userOp(index, "write(" + index + ", " + path + ", <" + content.length + " bytes>)",
        u -> u.write(path, content.clone(), "write on " + nodes.get(index).name()));
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
    ClusterNode n = nodes.get(index);
    // Users are not that fast: a millisecond passes before each action, so that two saves of
    // one file never share a modification time (see docs/testkit.md on "racy" timestamps).
    run(Duration.ofMillis(1));
    Optional<List<String>> touched = action.apply(n.user());
    if (touched.isEmpty()) {
      skipped++;
      log.add(label + "  [skipped]");
      return false;
    }
    applied++;
    cluster.touchedByUsers.addAll(touched.get());
    log.add(label);
    scheduler.record(label);
    cluster.trace(n.name() + " user: " + label + " -> " + touched.get());
    n.scan(touched.get());
    atomicity.check(n);
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
    byte[] tag = ("#" + writes + " " + nodes.get(index).name() + ":" + path + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(size, tag.length)];
    System.arraycopy(tag, 0, out, 0, tag.length);
    SplittableRandom r = new SplittableRandom(SimulatedScheduler.mix(cluster.seed + writes));
    for (int i = tag.length; i < out.length; i++) {
      out[i] = (byte) ('a' + r.nextInt(26));
    }
    return out;
  }

  /**
   * The note {@code e} makes of {@code old} (null: no file): its line {@code e.line()}, modulo
   * the lines there are, replaced by a line no other edit writes (its terminator kept), or a new
   * note of {@link #NOTE_LINES} such lines. Remembers the edit for {@link NoteMergeChecker},
   * with whether every node held what the user saw as a merge base just before.
   */
  private byte[] editLine(Operation.EditLine e, byte[] old) {
    writes++;
    String tag = "#" + writes + " " + nodes.get(e.node()).name() + ":" + e.path() + " line ";
    List<byte[]> lines = old == null ? List.of() : NoteMergeChecker.lines(old);
    byte[] made;
    int line;
    if (lines.isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < NOTE_LINES; i++) {
        b.append(tag).append(i).append('\n');
      }
      made = b.toString().getBytes(StandardCharsets.UTF_8);
      line = -1;
    } else {
      List<byte[]> edited = new ArrayList<>(lines);
      line = e.line() % lines.size();
      String was = new String(lines.get(line), StandardCharsets.ISO_8859_1);
      String end = was.endsWith("\r\n") ? "\r\n" : was.endsWith("\n") ? "\n" : "";
      edited.set(line, (tag + line + end).getBytes(StandardCharsets.UTF_8));
      made = NoteMergeChecker.join(edited);
    }
    if (line >= 0) {
      cluster.lineEdits.add(new NoteMergeChecker.LineEdit(e.node(), e.path(), old, made, line,
          NoteMergeChecker.basesKept(cluster, e.path(), old)));
    }
    return made;
  }

  // ---------------------------------------------------------------- running

  /** Runs the cluster for {@code duration} of virtual time. */
  public void run(Duration duration) {
    runner.run(duration);
  }

  /** A pause between two script operations, drawn from the seed and the operation (see {@link Scenario#run()}). */
  void runBetweenOperations(Operation op, int occurrence) {
    runner.runBetweenOperations(op, occurrence);
  }

  /**
   * Runs until nothing is due within 20 s of virtual time (periodic scans aside).
   *
   * @return steps taken
   * @throws SimulationFailure if {@code maxSteps} or 10 minutes of virtual time run out first:
   *     the cluster does not settle (a livelock, such as a pull that fails and retries forever)
   */
  public long runUntilQuiescent(long maxSteps) {
    return runner.runUntilQuiescent(maxSteps);
  }

  /**
   * The convergence phase, after {@link #heal()}: runs until quiet, then long enough for every
   * node's periodic full scan, then until quiet again.
   */
  public void converge() {
    runner.converge();
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
    assertNoteEditsMerged();
    assertIdenticalStartMovesNothing();
    assertLinksKept();
    assertQuiescent();
  }

  /** See {@link NoteMergeChecker}: line edits of a note in different places are merged, others kept as a copy. */
  public void assertNoteEditsMerged() {
    noteEdits = new NoteMergeChecker(cluster).check();
  }

  /** See {@link IdenticalStartChecker}: untouched identical starting files move no data. */
  public void assertIdenticalStartMovesNothing() {
    identicalStart.check();
  }

  /**
   * Paths that held the same bytes and executable bit on every node at the start and that no
   * user operation touched since.
   */
  public List<String> identicalStartPaths() {
    return identicalStart.identicalStartPaths();
  }

  /** See {@link LinksKeptChecker}: no engine closed a link it could have repaired. */
  public void assertLinksKept() {
    new LinksKeptChecker(cluster).check();
  }

  /**
   * Every node runs, holds the same tree, reports itself in sync, and holds no jSync temp file
   * (invariant 5: a converged tree holds no temporary file).
   */
  public void assertConverged() {
    converged.check();
  }

  /** Every version no user superseded survives on every node, at its path or as a conflict copy. */
  public void assertNoLostWrites() {
    new NoLostWriteChecker(cluster).check();
  }

  /** See {@link RecoverabilityChecker}: what a disk held is on some disk or in some version store. */
  public void assertRecoverable() {
    new RecoverabilityChecker(cluster).check();
  }

  /** Nothing a user removed comes back unless a concurrent edit wanted it. */
  public void assertNoResurrection() {
    new NoResurrectionChecker(cluster).check();
  }

  /**
   * A full scan on every node, then a reset of every connection, move no block and send no
   * index record, and leave the trees as they were.
   */
  public void assertQuiescent() {
    new QuiescenceChecker(cluster, runner, converged).check();
  }

  SimulationFailure fail(String invariant, String message, Throwable cause) {
    return cluster.fail(invariant, message, cause);
  }

  /** What the run did; the trace hash includes every node's final tree. */
  public SimulationReport report() {
    long hash = scheduler.traceHash();
    FolderTree last = null;
    for (ClusterNode n : nodes) {
      last = FolderTree.of(n.folder());
      hash = SimulatedScheduler.mix(hash ^ last.hashCode());
    }
    return new SimulationReport(hash, scheduler.steps(), scheduler.elapsed(), applied, skipped,
        network.indexRecordsSent(), network.blockBytesSent(), network.connectionsOpened(),
        last == null ? 0 : last.conflictCopies().size(), last == null ? 0 : last.entries().size(),
        network.rehandshakes(), network.batchesRepeated(), network.batchesSkipped(), network.overlappingBatches(),
        network.indexRequestsSent(), nodes.stream().mapToLong(n -> n.disk().faultsInjected()).sum(),
        nodes.stream().filter(ClusterNode::isRunning).mapToLong(n -> n.syncNode().status().nameProblems().size()).sum(),
        nodes.stream().mapToLong(n -> n.events().stream().filter(e -> e instanceof dev.jsync.core.SyncEvent.FileMerged).count()).sum(),
        noteEdits.merged(), noteEdits.keptAsCopy());
  }

  /** Stops every node and frees the in-memory folders. */
  @Override
  public void close() {
    for (ClusterNode n : nodes) {
      n.close();
    }
  }
}
