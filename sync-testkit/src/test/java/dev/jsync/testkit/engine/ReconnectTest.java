package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Losing the only peer mid-sync: a short report, and the sync goes on as soon as the peer is back. */
class ReconnectTest extends RealFolderPairCase {

  private static final Duration T = Duration.ofSeconds(30);

  ReconnectTest() {
    super(T);
  }

  @Test
  void aDownloadCutOffByALostLinkResumesWhenThePeerReconnects() throws Exception {
    // A retry delay far beyond the wait below: only the reconnection can restart the download in time.
    var pair = linkedPair(SyncOptions.defaults().withWatch(false).withRetryDelay(Duration.ofMinutes(5)));
    var a = pair.a();
    var b = pair.b();
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
    // The temp file the cut left behind is resumed and renamed into place, or deleted: none stays.
    try (var files = Files.walk(b.folder)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(".jsync-tmp-")).toList())
          .as("temp files left in b's folder").isEmpty();
    }
  }

  @Test
  void startingWithDownloadsPendingAndNoPeerWaitsQuietlyForOne() {
    var pair = linkedPair(SyncOptions.defaults().withWatch(false));
    var a = pair.a();
    var b = pair.b();
    for (int i = 0; i < 60; i++) {
      a.write("n" + i + ".md", "note " + i);
    }
    cluster.network.holdBlocksAfter(0);
    a.start();
    b.start();
    cluster.await(T, () -> b.node.status().filesNeeded() == 60 && cluster.network.heldBlocks() > 0);

    // b restarts while a is out of reach: its 60 needs come back from its store, with no peer.
    b.stop();
    cluster.cut(a, b);
    b.events.clear();
    b.start();
    cluster.await(T, () -> b.events.stream().anyMatch(e -> e instanceof SyncEvent.ScanFinished));
    // Nothing to fetch from, so nothing fails: no error (and no warning) per path.
    org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> errors(b) == 0);

    cluster.network.releaseBlocks();
    cluster.link(a, b);
    cluster.awaitConverged(T);
  }

  private static long errors(RealFolderCluster.Member m) {
    return m.events.stream().filter(e -> e instanceof SyncEvent.Error).count();
  }
}
