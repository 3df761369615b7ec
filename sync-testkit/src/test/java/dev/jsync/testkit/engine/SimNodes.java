package dev.jsync.testkit.engine;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.SimulatedClock;
import dev.jsync.testkit.SimulatedNetwork;
import dev.jsync.testkit.SimulatedScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A few {@link SyncNode}s on folders of a test's choosing (Jimfs with particular settings, or
 * real ones), on one simulated scheduler and network, scanning only when told. Closes what it
 * started.
 */
final class SimNodes implements AutoCloseable {

  final SimulatedScheduler scheduler = new SimulatedScheduler(11);
  final SimulatedNetwork network = new SimulatedNetwork(scheduler, NetworkFaults.none());
  private final List<AutoCloseable> open = new ArrayList<>();

  record Node(SyncNode node, InMemoryIndexStore store, Path folder, List<SyncEvent> events) {

    Optional<FileRecord> record(String path) {
      return store.local(RelativePath.of(path)).map(LocalEntry::record);
    }

    List<SyncEvent.Error> errorsAbout(String path) {
      return events.stream().filter(e -> e instanceof SyncEvent.Error err
              && err.path().map(p -> p.toString().equals(path)).orElse(false))
          .map(SyncEvent.Error.class::cast).toList();
    }
  }

  /** Adds a node syncing {@code folder}; {@code closeAfter} (its file system, say) is closed at the end. */
  Node add(String name, Path folder, SyncOptions options, AutoCloseable closeAfter) {
    return add(name, folder, options, closeAfter, Disks.system());
  }

  /** Adds a node syncing {@code folder} through {@code disk}. */
  Node add(String name, Path folder, SyncOptions options, AutoCloseable closeAfter, Disk disk) {
    if (closeAfter != null) {
      open.add(closeAfter);
    }
    return start(name, folder, options, disk, new InMemoryIndexStore());
  }

  /**
   * Stops {@code old} as a user stops jSync (its last index writes land), then starts the device
   * {@code name} again on the same folder and index store, with {@code options} and {@code disk}.
   */
  Node restart(String name, Node old, SyncOptions options, Disk disk) {
    old.node().close();
    scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
    return start(name, old.folder(), options, disk, old.store());
  }

  /** Stops {@code node} as a user stops jSync: its peers see it go. */
  void stop(Node node) {
    node.node().close();
    scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
  }

  private Node start(String name, Path folder, SyncOptions options, Disk disk, InMemoryIndexStore store) {
    DeviceId id = DeviceId.fromName(name);
    List<SyncEvent> events = new CopyOnWriteArrayList<>();
    var process = scheduler.process(name);
    SyncNode node = SyncNode.builder(folder, store, network.transport(id))
        .device(id)
        .options(options.withScanInterval(Duration.ofHours(1)))
        .clock(new SimulatedClock(scheduler, ClockSkew.none()))
        .executors(process.control(), process.io())
        .watcher(new FolderWatcher() {
          @Override
          public void start(Path root, Listener listener) {
          }

          @Override
          public void close() {
          }
        })
        .listener(events::add)
        .disk(disk)
        .build();
    open.add(0, node);
    node.startAsync();
    return new Node(node, store, folder, events);
  }

  /** Runs the cluster for {@code d} of virtual time. */
  void run(Duration d) {
    scheduler.runFor(d, 50_000_000);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
      scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
    }
  }
}
