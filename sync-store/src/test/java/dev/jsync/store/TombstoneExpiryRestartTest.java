package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.TombstonePolicy;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.testkit.InMemoryNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tombstone expiry survives a restart, on the real store: once a device has forgotten a delete
 * (every peer acknowledged it, the retention passed), restarting it brings nothing back. Before,
 * each restart read the peer's tombstone again and took it as a new delete: a new local version
 * under a new sequence, announced to every peer, so a quiet cluster was not quiet.
 */
class TombstoneExpiryRestartTest {

  private static final RelativePath NOTE = RelativePath.of("note.md");

  @TempDir
  Path dir;

  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final InMemoryNetwork network = new InMemoryNetwork(delivery);
  /** Both devices' clock: moved on by the test, days at a time. */
  private final AtomicLong clockNanos = new AtomicLong(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli() * 1_000_000);
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(0, clockNanos.get());
    }
  };

  private Device a;
  private Device b;

  /** A device: its folder, its RocksDB store and its running node. */
  private final class Device {
    final DeviceId id;
    final Path folder;
    RocksDbIndexStore store;
    SyncNode node;

    Device(String name) throws Exception {
      id = DeviceId.fromName(name);
      folder = Files.createDirectories(dir.resolve(name));
      start();
    }

    void start() {
      store = RocksDbIndexStore.open(folder.resolve(".jsync"));
      node = SyncNode.builder(folder, store, network.transport(id))
          .device(id)
          .clock(clock)
          .options(SyncOptions.defaults().withWatch(false).withScanInterval(Duration.ofMillis(100))
              .withTombstones(TombstonePolicy.withRetention(Duration.ofDays(1))))
          .build();
      node.start();
    }

    /** Stops the node and closes the store, then opens both again: a process restart. */
    void restart() {
      node.close();
      store.close();
      start();
    }

    boolean holds(RelativePath path) {
      return store.local(path).isPresent();
    }

    boolean holdsTombstone(RelativePath path) {
      return store.local(path).map(LocalEntry::record).map(r -> r.deleted()).orElse(false);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Device d : new Device[] {a, b}) {
      if (d != null) {
        d.node.close();
        d.store.close();
      }
    }
    delivery.shutdownNow();
    delivery.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void anExpiredTombstoneStaysForgottenAcrossARestartAndNothingIsSentAgain() throws Exception {
    a = new Device("a");
    b = new Device("b");
    network.link(a.id, b.id);
    Files.writeString(a.folder.resolve(NOTE.toString()), "a note");
    a.node.scanNow();
    await(() -> Files.exists(b.folder.resolve(NOTE.toString())));
    // b deletes; a takes the delete, and b's tombstone in a's copy of b's index acknowledges it.
    Files.delete(b.folder.resolve(NOTE.toString()));
    b.node.scanNow();
    await(() -> a.holdsTombstone(NOTE) && !Files.exists(a.folder.resolve(NOTE.toString())));

    // Past the retention, and past the hour between sweeps, until a has forgotten it.
    await(() -> {
      clockNanos.addAndGet(Duration.ofDays(2).toNanos());
      return !a.holds(NOTE);
    });
    long lastA = a.store.lastSequence();
    long lastB = b.store.lastSequence();
    assertThat(a.store.expired(NOTE)).as("a remembers the expired delete").isPresent();
    long recordsBefore = network.indexRecordsSent();

    a.restart();
    b.restart();
    await(() -> a.node.status().peers().stream().anyMatch(p -> p.connected())
        && b.node.status().peers().stream().anyMatch(p -> p.connected()));
    // Let the start-up scans finish and any need they would have made be carried out.
    Thread.sleep(1500);

    assertThat(a.holds(NOTE)).as("a took b's tombstone back").isFalse();
    assertThat(a.store.lastSequence()).as("a made no new version").isEqualTo(lastA);
    assertThat(b.store.lastSequence()).as("b made no new version").isEqualTo(lastB);
    assertThat(network.indexRecordsSent()).as("no index record moved").isEqualTo(recordsBefore);
    assertThat(Files.exists(a.folder.resolve(NOTE.toString()))).isFalse();
    assertThat(Files.exists(b.folder.resolve(NOTE.toString()))).isFalse();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
