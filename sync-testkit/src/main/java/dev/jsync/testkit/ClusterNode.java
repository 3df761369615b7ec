package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.Sha256;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * One simulated device of a {@link SimulatedCluster}: its clock, folder, store and (while
 * running) its {@link SyncNode}. The store survives crashes; a restart builds a new node from it
 * and the folder. Not thread-safe.
 */
public final class ClusterNode {
  private final ClusterContext cluster;
  private final int index;
  private final String name;
  private final DeviceId device;
  private final SimulatedClock clock;
  private final InMemoryFolder memory;
  private final Path folder;
  private final UserActions user;
  private final FaultyDisk disk;
  private final List<SyncEvent> events = new ArrayList<>();
  /** Per path, the file key, size and time of the content last found to be a user's. */
  final Map<String, Object[]> verified = new HashMap<>();
  /** Every content seen on this node's disk after one of its steps (invariant 7). */
  final Set<Sha256> seenOnDisk = new HashSet<>();
  /** This node's version history, beside its folder (never inside it). */
  private final VersionStore versions;
  private InMemoryIndexStore store = new InMemoryIndexStore();
  /** The merge bases the node last started with; null where the run merges no notes. */
  private MergeBases mergeBases;
  /** Whether this node's disk fails some operations on purpose. */
  final boolean diskFails;
  private SimulatedScheduler.Process process;
  private SyncNode syncNode;
  private int incarnation;

  ClusterNode(ClusterContext cluster, int index, String name, ClockSkew skew, DiskFaults diskFaults, Path realBase,
      Platform platform) {
    this.cluster = cluster;
    this.index = index;
    this.name = name;
    this.device = DeviceId.fromName(name);
    this.clock = new SimulatedClock(cluster.scheduler, skew);
    if (realBase == null) {
      this.memory = InMemoryFolder.create(clock, platform);
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
    this.user = new UserActions(name, folder, clock, cluster.history, realBase == null && platform != Platform.LINUX);
    // Unlimited retention: the simulation checks that nothing is lost, not when things expire.
    this.versions = VersionStore.open(folder.resolveSibling(folder.getFileName() + ".state"), folder,
        Retention.unlimited(), clock, cluster.scheduler.randomFor("versions " + name));
    this.disk = new FaultyDisk(Disks.system(), diskFaults, cluster.scheduler.randomFor("disk " + name));
    this.diskFails = !diskFaults.isNone();
  }

  /** The merge bases the node last started with (they survive crashes); null if the run merges no notes. */
  MergeBases mergeBases() {
    return mergeBases;
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

  /**
   * The disk every incarnation of the node reads and writes its folder through: it fails as
   * the cluster's disk faults say until {@link SimulatedCluster#heal()}, and a crash loses what
   * the node had not flushed. Users' own writes go around it.
   */
  public FaultyDisk disk() {
    return disk;
  }

  /** Events of every incarnation of this node, in order. */
  public List<SyncEvent> events() {
    return Collections.unmodifiableList(events);
  }

  /**
   * Whether this node reports {@code path} (or a folder above it) as a peer's path its file
   * system cannot hold (a collision with a path already here, a name its platform forbids): then
   * its absence here is the engine's refusal, reported, not a lost write.
   */
  boolean refuses(String path) {
    if (syncNode == null) {
      return false;
    }
    for (dev.jsync.core.NameProblem p : syncNode.status().nameProblems()) {
      String refused = p.path().toString();
      if (path.equals(refused) || path.startsWith(refused + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Whether this node {@link #refuses} {@code path}, or a conflict copy of it. */
  boolean refusesOrACopyOf(String path) {
    if (refuses(path)) {
      return true;
    }
    if (syncNode == null) {
      return false;
    }
    return syncNode.status().nameProblems().stream()
        .anyMatch(p -> WriteHistory.isConflictCopyOf(p.path().toString(), path));
  }

  UserActions user() {
    return user;
  }

  void start() {
    if (syncNode != null) {
      return;
    }
    incarnation++;
    process = cluster.scheduler.process(name + "#" + incarnation);
    cluster.byProcess.put(process, this);
    SyncNode.Builder builder = SyncNode.builder(folder, store, cluster.network.transport(device))
        .device(device)
        .options(cluster.options.withDeviceName(name))
        .clock(clock)
        .executors(process.control(), process.io())
        .random(cluster.scheduler.randomFor("engine " + name + "#" + incarnation))
        .versions(versions)
        .disk(disk)
        .listener(e -> {
          events.add(e);
          cluster.trace(name + ": " + e);
          if (e instanceof dev.jsync.core.SyncEvent.FileMerged m) {
            mergedHere(m.path().toString());
          }
        });
    if (!cluster.options.mergeable().extensions().isEmpty()) {
      // Merging notes: the bases live beside the folder, like the version store, and survive crashes.
      try {
        mergeBases = MergeBases.open(folder.resolveSibling(folder.getFileName() + ".state").resolve("merge-bases"),
            MergeBases.DEFAULT_MAX_BYTES);
        builder.mergeBases(mergeBases);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    SyncNode n = builder.build();
    syncNode = n;
    n.startAsync().whenComplete((ok, err) -> {
      if (err != null) {
        cluster.startFailures.add(cluster.fail("no exceptions", name + " failed to start: " + err, err));
      }
    });
    cluster.scheduler.record("start " + name);
  }

  /** Tells the write history of a merge this node wrote at {@code path} (WriteHistory#mergedAgain). */
  private void mergedHere(String path) {
    Path file = folder.resolve(path);
    try {
      if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        cluster.history.mergedAgain(name, path, Files.readAllBytes(file), UserActions.ownerExecutable(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void crash() {
    if (syncNode == null) {
      return;
    }
    process.kill();
    try {
      disk.crash();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cluster.network.crash(device);
    store = store.reopen();
    syncNode = null;
    cluster.scheduler.record("crash " + name);
  }

  /** The disk stops failing (the simulator's heal). */
  void healDisk() {
    disk.faults(DiskFaults.none());
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

  /** Stops the node for good and frees its in-memory folder. */
  void close() {
    if (process != null) {
      process.kill();
    }
    if (memory != null) {
      memory.close();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
