package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Losing the only peer mid-sync: a short report, and the sync goes on as soon as the peer is back. */
class ReconnectTest {

  private static final Duration T = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private RealFolderCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDownloadCutOffByALostLinkResumesWhenThePeerReconnects() throws Exception {
    cluster = new RealFolderCluster(dir);
    // A retry delay far beyond the wait below: only the reconnection can restart the download in time.
    SyncOptions options = SyncOptions.defaults().withWatch(false).withRetryDelay(Duration.ofMinutes(5));
    var a = cluster.add("a", options);
    var b = cluster.add("b", options);
    cluster.link(a, b);
    byte[] content = new byte[32 * BlockInfo.SIZE];
    new Random(7).nextBytes(content);
    a.write("video.bin", content);
    cluster.network.holdBlocksAfter(10);
    a.start();
    b.start();
    cluster.await(T, () -> cluster.network.heldBlocks() > 0);

    cluster.cut(a, b);
    cluster.await(T, () -> b.events.stream().anyMatch(e -> e instanceof SyncEvent.Error err
        && err.path().map(p -> p.toString().equals("video.bin")).orElse(false)));
    cluster.network.releaseBlocks();
    cluster.link(a, b);

    cluster.awaitConverged(Duration.ofSeconds(15));
    assertThat(Files.readAllBytes(b.path("video.bin"))).isEqualTo(content);
  }

  @Test
  void losingTheOnlyPeerMidSyncReportsOnlyTheDownloadsInFlight() {
    cluster = new RealFolderCluster(dir);
    // Fewer files in flight than files to sync, so that some are still waiting when the link goes.
    SyncOptions options = SyncOptions.defaults().withWatch(false).withLimits(8, 32L << 20);
    var a = cluster.add("a", options);
    var b = cluster.add("b", options);
    cluster.link(a, b);
    for (int i = 0; i < 60; i++) {
      a.write("n" + i + ".md", "note " + i);
    }
    cluster.network.holdBlocksAfter(0);
    a.start();
    b.start();
    cluster.await(T, () -> cluster.network.heldBlocks() == options.maxFilesInFlight());

    cluster.cut(a, b);
    cluster.await(T, () -> errors(b) >= options.maxFilesInFlight());
    // The other 52 paths wait for a peer instead of each failing (and warning) in turn.
    try {
      org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(() -> errors(b) <= 2L * options.maxFilesInFlight()); // a pull started as the link died may fail too
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("too many errors: " + b.events.stream().filter(ev -> ev instanceof SyncEvent.Error).toList(), e);
    }

    cluster.network.releaseBlocks();
    cluster.link(a, b);
    cluster.awaitConverged(T);
  }

  private static long errors(RealFolderCluster.Member m) {
    return m.events.stream().filter(e -> e instanceof SyncEvent.Error).count();
  }
}
