package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import dev.jsync.store.RocksDbIndexStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsync peers} and {@code jsync forget} in-process, on a state folder filled as a node
 * fills it (the real index, the status file), and what forgetting a device changes for the
 * engine: a delete that waited only for that device's acknowledgement expires.
 */
class PeersCommandsTest {

  private static final DeviceId PI = DeviceId.fromName("pi");
  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final Instant SEEN = Instant.parse("2026-11-20T09:30:00Z");

  @TempDir
  Path folder;

  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  private Path state() {
    return folder.resolve(".jsync");
  }

  /** A status file as a node that ran (and stopped, unless {@code running}) leaves it. */
  private void writeStatus(boolean running, StatusSnapshot.Peer... peers) throws Exception {
    Files.createDirectories(state());
    ProcessHandle me = ProcessHandle.current();
    StatusFile.write(state(), new StatusSnapshot(Instant.parse("2026-11-24T10:00:00Z"),
        running ? me.pid() : Long.MAX_VALUE, running ? me.info().startInstant() : Optional.empty(), folder.toString(),
        DeviceId.fromName("me").toString(), "me", "*:7777", List.of(), 3, 0, false, List.of(peers)));
  }

  private static StatusSnapshot.Peer peer(DeviceId id, String name, boolean connected, Optional<Instant> seen) {
    return new StatusSnapshot.Peer(id.toString(), name, connected, 0, 0, connected, seen);
  }

  /** The index of a node that met {@code peers}: one record of each. */
  private void storeKnowing(DeviceId... peers) {
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      StoreBatch batch = new StoreBatch();
      for (DeviceId p : peers) {
        batch.putRemote(p, file("theirs.md", p));
      }
      store.apply(batch);
    }
  }

  private static FileRecord file(String path, DeviceId by) {
    return FileRecord.file(RelativePath.of(path), 0, 1, false, List.of(), Sha256.EMPTY,
        VersionVector.empty().increment(by), by);
  }

  // ---------------------------------------------------------------- peers

  @Test
  void peersOfAFolderWhereJsyncNeverRanIsAnEmptyList() throws Exception {
    assertThat(run("peers", "-d", folder.toString())).isZero();
    assertThat(cli.out()).isEqualTo("no known devices: jsync has not run on this folder yet\n");
    assertThat(run("peers", "-d", folder.toString(), "--json")).isZero();
    assertThat(cli.out()).isEqualTo("[]\n");
    assertThat(state()).as("nothing is created").doesNotExist();
  }

  @Test
  void peersListsEveryKnownDeviceWithWhenItWasLastSeen() throws Exception {
    writeStatus(false, peer(PI, "pi", false, Optional.of(SEEN)), peer(LAPTOP, "", false, Optional.empty()));

    assertThat(run("peers", "-d", folder.toString())).isZero();
    String[] lines = cli.out().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("NAME").contains("ID").contains("LAST SEEN");
    String seen = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(java.time.ZoneId.systemDefault()).format(SEEN);
    assertThat(lines[1]).startsWith("pi").contains(PI.shortId()).endsWith(seen);
    assertThat(lines[2]).startsWith("?").contains(LAPTOP.shortId()).endsWith("unknown");
  }

  @Test
  @SuppressWarnings("unchecked")
  void peersJsonGivesIdNameConnectedAndLastSeenAndSaysConnectedOnlyWhileANodeRuns() throws Exception {
    writeStatus(true, peer(PI, "pi", true, Optional.of(SEEN)));
    assertThat(run("peers", "-d", folder.toString(), "--json")).isZero();
    List<Object> list = (List<Object>) StatusFile.parseJson(cli.out());
    assertThat(list).singleElement().isEqualTo(Map.of("id", PI.toString(), "shortId", PI.shortId(), "name", "pi",
        "connected", true, "lastSeen", SEEN.toString()));
    assertThat(run("peers", "-d", folder.toString())).isZero();
    assertThat(cli.out()).contains("connected now");

    writeStatus(false, peer(PI, "pi", true, Optional.of(SEEN)));
    assertThat(run("peers", "-d", folder.toString(), "--json")).isZero();
    list = (List<Object>) StatusFile.parseJson(cli.out());
    assertThat((Map<String, Object>) list.get(0)).containsEntry("connected", false);
  }

  @Test
  void peersOfAMissingFolderExitsWithCodeThree() {
    assertThat(run("peers", "-d", folder.resolve("nope").toString())).isEqualTo(ExitCodes.FOLDER);
    assertThat(cli.err()).contains("does not exist");
  }

  @Test
  void peersAndForgetHelpListTheirExitCodes() {
    assertThat(run("peers", "--help")).isZero();
    assertThat(cli.out()).contains("Exit codes:").contains("--json");
    assertThat(run("forget", "--help")).isZero();
    assertThat(cli.out()).contains("Exit codes:").contains("4  DEVICE is connected to the running node now");
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("jsync peers -d DIR").contains("jsync forget");
  }

  // ---------------------------------------------------------------- forget

  @Test
  void forgetRemovesTheDeviceFromTheIndexAndTheStatusFile() throws Exception {
    storeKnowing(PI, LAPTOP);
    writeStatus(false, peer(PI, "pi", false, Optional.of(SEEN)), peer(LAPTOP, "laptop", false, Optional.of(SEEN)));

    assertThat(run("forget", "-d", folder.toString(), "pi")).isZero();
    assertThat(cli.out()).startsWith("forgot pi (" + PI.shortId() + ")");
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      assertThat(store.peers()).containsExactly(LAPTOP);
      assertThat(store.remote(PI, RelativePath.of("theirs.md"))).isEmpty();
    }
    assertThat(StatusFile.read(state()).orElseThrow().peers()).extracting(StatusSnapshot.Peer::id)
        .containsExactly(LAPTOP.toString());

    assertThat(run("forget", "-d", folder.toString(), LAPTOP.shortId().toUpperCase())).as("by the start of its id")
        .isZero();
    assertThat(run("peers", "-d", folder.toString())).isZero();
    assertThat(cli.out()).isEqualTo("no known devices: none has connected yet\n");
  }

  @Test
  void forgetOfAnUnknownDeviceChangesNothingAndExitsWithCodeTwo() throws Exception {
    storeKnowing(PI);
    writeStatus(false, peer(PI, "pi", false, Optional.of(SEEN)));

    assertThat(run("forget", "-d", folder.toString(), "desktop")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("no known device is 'desktop'").contains("pi (" + PI.shortId() + ")");
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      assertThat(store.peers()).containsExactly(PI);
    }
    assertThat(run("forget", "-d", folder.toString())).as("no DEVICE").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void forgetOfAnIndexLockedByANodeWithNoStatusYetAsksToTryAgain() throws Exception {
    storeKnowing(PI);
    // The index held by a node that has not written its status (starting) or has removed it.
    try (RocksDbIndexStore held = RocksDbIndexStore.open(state())) {
      assertThat(run("forget", "-d", folder.toString(), "pi")).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.err()).contains("try again in a moment");
      assertThat(held.peers()).containsExactly(PI);
    }
  }

  @Test
  void aPrefixSharedByTwoDevicesIsAmbiguous() {
    byte[] one = new byte[DeviceId.LENGTH];
    byte[] two = new byte[DeviceId.LENGTH];
    two[DeviceId.LENGTH - 1] = 1;
    DeviceId a = DeviceId.of(one);
    DeviceId b = DeviceId.of(two);
    List<DeviceId> known = new ArrayList<>(List.of(a, b));
    assertThatThrownBy(() -> ForgetCommand.match(a.shortId(), known, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("matches several devices");
    assertThat(ForgetCommand.match(b.toString(), known, Map.of())).isEqualTo(b);
    assertThat(ForgetCommand.match("box", known, Map.of(a.toString(), "box"))).isEqualTo(a);
  }

  @Test
  void aTombstoneWaitingOnlyForAForgottenDeviceExpires() throws Exception {
    RelativePath gone = RelativePath.of("gone.md");
    DeviceId me = DeviceId.fromName("me");
    long longAgo = Instant.now().minus(40, ChronoUnit.DAYS).toEpochMilli() * 1_000_000;
    FileRecord tombstone = file("gone.md", me).toTombstone(VersionVector.empty().increment(me).increment(me), me,
        longAgo).withSequence(1);
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      // pi has never acknowledged the delete: its index has something else, not gone.md's tombstone.
      store.apply(new StoreBatch().putLocal(LocalEntry.withoutStat(tombstone)).putRemote(PI, file("theirs.md", PI)));
    }
    writeStatus(false, peer(PI, "pi", false, Optional.of(SEEN)));

    runNode(me, store -> sleepQuietly(Duration.ofMillis(800)));
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      assertThat(store.local(gone)).as("kept while pi may still hold the file").isPresent();
    }

    assertThat(run("forget", "-d", folder.toString(), "pi")).isZero();

    runNode(me, store -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.local(gone).isPresent() && System.nanoTime() < deadline) {
        sleepQuietly(Duration.ofMillis(50));
      }
    });
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      assertThat(store.local(gone)).as("expired once nothing known waits for it").isEmpty();
      assertThat(store.expired(gone)).contains(tombstone.version());
    }
  }

  /** Runs a node on the folder (no peers: a transport that never connects) while {@code during} runs. */
  private void runNode(DeviceId me, java.util.function.Consumer<RocksDbIndexStore> during) {
    Transport silent = new Transport() {
      @Override
      public void start(TransportHandler handler) {}

      @Override
      public void close() {}

      @Override
      public DeviceId deviceId() {
        return me;
      }
    };
    try (RocksDbIndexStore store = RocksDbIndexStore.open(state())) {
      SyncNode node = SyncNode.builder(folder, store, silent)
          .options(SyncOptions.defaults().withWatch(false).withScanInterval(Duration.ofMillis(200))).build();
      node.start();
      try {
        during.accept(store);
      } finally {
        node.close();
      }
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
