package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.testkit.ClockSkew;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.NetworkFaults;
import dev.jsync.testkit.SimulatedClock;
import dev.jsync.testkit.SimulatedNetwork;
import dev.jsync.testkit.SimulatedScheduler;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A device whose file system keeps no executable bit (Windows; Jimfs with basic attributes
 * only here) neither loses the bit its peers set nor invents one: a received executable file
 * stays executable in its index however often it rescans, and its own edits of that file keep
 * the bit for the peers that have one.
 */
class ExecutableBitWithoutPermissionsTest {

  private static final RelativePath SCRIPT = RelativePath.of("run.sh");

  private final SimulatedScheduler scheduler = new SimulatedScheduler(11);
  private final SimulatedNetwork network = new SimulatedNetwork(scheduler, NetworkFaults.none());
  private final List<AutoCloseable> open = new ArrayList<>();

  private record Node(SyncNode node, InMemoryIndexStore store, Path folder) {}

  private Node node(String name, Configuration fsConfig) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(fsConfig);
    open.add(fs);
    Path folder = Files.createDirectories(fs.getPath("/folder"));
    DeviceId id = DeviceId.fromName(name);
    InMemoryIndexStore store = new InMemoryIndexStore();
    var process = scheduler.process(name);
    SyncNode node = SyncNode.builder(folder, store, network.transport(id))
        .device(id)
        .options(SyncOptions.defaults().withScanInterval(Duration.ofHours(1)))
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
        .build();
    open.add(0, node);
    node.startAsync();
    return new Node(node, store, folder);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
      scheduler.runUntilIdle(Duration.ofSeconds(1), 100_000);
    }
  }

  private void settle() {
    scheduler.runFor(Duration.ofSeconds(10), 10_000_000);
  }

  private static FileRecord record(Node n) {
    return n.store().local(SCRIPT).map(LocalEntry::record).orElseThrow();
  }

  @Test
  void theBitSurvivesADeviceThatCannotShowIt() throws Exception {
    Node linux = node("linux", Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    Node windows = node("windows", Configuration.unix().toBuilder().setAttributeViews("basic").build());
    settle();

    Path script = linux.folder().resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    linux.node().scanNow();
    settle();
    assertThat(Files.readString(windows.folder().resolve("run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
    FileRecord received = record(windows);
    assertThat(received.executable()).isTrue();

    // Rescanning the file, which shows no bit there, changes nothing.
    windows.node().scanNow();
    settle();
    assertThat(record(windows)).isEqualTo(received);
    assertThat(record(linux).version()).isEqualTo(received.version());

    // An edit made there keeps the bit it cannot see.
    Files.writeString(windows.folder().resolve("run.sh"), "#!/bin/sh\necho hello\n");
    windows.node().scanNow();
    settle();
    assertThat(record(windows).executable()).isTrue();
    assertThat(Files.readString(script)).isEqualTo("#!/bin/sh\necho hello\n");
    assertThat(Files.getPosixFilePermissions(script)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));

    // A file made there is not executable anywhere.
    Files.writeString(windows.folder().resolve("note.md"), "text");
    windows.node().scanNow();
    settle();
    assertThat(Files.getPosixFilePermissions(linux.folder().resolve("note.md")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    assertThat(linux.store().local(RelativePath.of("note.md")).orElseThrow().record().executable()).isFalse();
  }
}
