package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.SimulatedClock;
import dev.jsync.testkit.SimulatedNetwork;
import dev.jsync.testkit.SimulatedScheduler;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the engine turns the watcher's events into scans, on virtual time: a lone save waits only
 * the short settle time, a long burst waits a quiet window of silence, a continuous stream is
 * scanned at the cap, and events for jSync's own temp files and state folder start nothing.
 */
class WatchCoalescingTest {

  private static final Duration QUIET = Duration.ofMillis(100);
  private static final Duration CAP = Duration.ofMillis(1_000);
  private static final long MS = 1_000_000L;

  private final SimulatedScheduler scheduler = new SimulatedScheduler(7);
  private final List<Long> partialScansAt = new ArrayList<>();
  private FileSystem fs;
  private Path folder;
  private FolderWatcher.Listener watcher;
  private SyncNode node;

  @BeforeEach
  void start() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    folder = Files.createDirectories(fs.getPath("/folder"));
    DeviceId id = DeviceId.fromName("a");
    var process = scheduler.process("a");
    node = SyncNode.builder(folder, new InMemoryIndexStore(), new SimulatedNetwork(scheduler, NetworkFaults.none())
            .transport(id))
        .device(id)
        .options(SyncOptions.defaults().withQuietWindow(QUIET, CAP).withScanInterval(Duration.ofHours(1)))
        .clock(new SimulatedClock(scheduler, ClockSkew.none()))
        .executors(process.control(), process.io())
        .watcher(new FolderWatcher() {
          @Override
          public void start(Path root, Listener listener) {
            watcher = listener;
          }

          @Override
          public void close() {
          }
        })
        .listener(e -> {
          if (e instanceof SyncEvent.ScanFinished s && !s.full()) {
            partialScansAt.add(scheduler.nanos());
          }
        })
        .build();
    node.startAsync();
    scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
    assertThat(watcher).as("the engine started its watcher").isNotNull();
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
    fs.close();
  }

  /** Reports a change to {@code name} from the watcher's thread, as the JDK watcher would. */
  private void event(String name) {
    Path p = folder.resolve(name);
    scheduler.execute(() -> watcher.changed(p));
  }

  private void runFor(long millis) {
    scheduler.runFor(Duration.ofMillis(millis), 1_000_000);
  }

  @Test
  void aLoneSaveIsScannedAfterTheSettleTime() throws Exception {
    Files.writeString(folder.resolve("note.md"), "saved");
    long t0 = scheduler.nanos();
    event("note.md");
    event("note.md");
    runFor(500);
    assertThat(partialScansAt).hasSize(1);
    assertThat(partialScansAt.get(0) - t0).isBetween(10 * MS, 15 * MS);
  }

  @Test
  void aBurstLongerThanTheQuietWindowWaitsForAQuietWindowOfSilence() throws Exception {
    Files.writeString(folder.resolve("big.bin"), "growing");
    long t0 = scheduler.nanos();
    for (int i = 0; i < 40; i++) { // an event every 5 ms for 200 ms: never 10 ms of silence
      event("big.bin");
      runFor(5);
    }
    long lastEvent = scheduler.nanos() - 5 * MS;
    assertThat(partialScansAt).isEmpty();
    runFor(500);
    assertThat(partialScansAt).hasSize(1);
    long at = partialScansAt.get(0);
    assertThat(at - lastEvent).isBetween(QUIET.toNanos(), QUIET.toNanos() + 10 * MS);
    assertThat(at - t0).isLessThan(CAP.toNanos());
  }

  @Test
  void aFileWrittenContinuouslyIsScannedAtTheCap() throws Exception {
    Files.writeString(folder.resolve("log.txt"), "line");
    long t0 = scheduler.nanos();
    for (int i = 0; i < 300; i++) { // an event every 5 ms for 1.5 s
      event("log.txt");
      runFor(5);
    }
    assertThat(partialScansAt).isNotEmpty();
    assertThat(partialScansAt.get(0) - t0).isBetween(CAP.toNanos(), CAP.toNanos() + 10 * MS);
  }

  @Test
  void ownTempFilesAndTheStateFolderStartNoScan() {
    event(".jsync-tmp-0123456789abcdef-0123456789abcdef");
    event("sub/.jsync-tmp-0123456789abcdef-fedcba9876543210");
    event(".jsync/index/000012.log");
    event(".jsync");
    runFor(2_000);
    assertThat(partialScansAt).isEmpty();
  }
}
