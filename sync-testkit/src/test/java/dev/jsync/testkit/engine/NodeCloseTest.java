package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a node that runs on its own default executors. */
class NodeCloseTest {

  @TempDir
  Path folder;

  @Test
  void closeReturnsPromptlyWhileTheNextPeriodicScanIsFarAway() {
    InMemoryNetwork network = new InMemoryNetwork(Executors.newSingleThreadExecutor());
    DeviceId id = DeviceId.fromName("a");
    SyncNode node = SyncNode.builder(folder, new InMemoryIndexStore(), network.transport(id))
        .device(id)
        .options(SyncOptions.defaults().withWatch(false).withScanInterval(Duration.ofMinutes(10)))
        .build();
    node.start();

    long t0 = System.nanoTime();
    node.close();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    // A cancelled timer must not keep the control executor alive until it would have fired:
    // a CLI stopped by SIGTERM would otherwise hang for the whole awaitTermination timeout.
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }
}
