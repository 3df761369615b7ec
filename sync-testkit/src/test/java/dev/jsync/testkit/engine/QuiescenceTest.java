package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.SyncEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A converged pair moves nothing: not on a rescan, not on a reconnect, not on a restart. */
class QuiescenceTest extends RealFolderPairCase {

  private static final Duration T = Duration.ofSeconds(20);

  QuiescenceTest() {
    super(T);
  }

  @Test
  void aConvergedPairSendsNoIndexEntriesAndNoData() {
    var pair = linkedPair();
    var a = pair.a();
    var b = pair.b();
    for (int i = 0; i < 50; i++) {
      a.write("notes/n" + i + ".md", "note " + i);
      b.write("other/o" + i + ".md", "other " + i);
    }
    startConverged(pair);
    awaitSettled(a, b);
    assertThat(a.node.status().localFiles()).isEqualTo(102); // 100 files and 2 folders
    long records = cluster.network.indexRecordsSent();
    long bytes = cluster.network.blockBytesSent();
    long batches = cluster.network.indexBatchesSent();
    assertThat(batches).as("the initial exchange is a handful of batches, not one per file").isLessThan(10);

    // A rescan of both sides finds nothing new.
    int scansBefore = scans(a) + scans(b);
    a.scan();
    b.scan();
    cluster.await(T, () -> scans(a) + scans(b) >= scansBefore + 2);
    assertThat(cluster.network.indexRecordsSent()).isEqualTo(records);

    // A reconnect exchanges hellos and nothing else.
    cluster.cut(a, b);
    cluster.await(T, () -> !a.node.status().peers().get(0).connected());
    cluster.link(a, b);
    awaitSettled(a, b);
    assertThat(cluster.network.indexRecordsSent()).isEqualTo(records);
    assertThat(cluster.network.indexBatchesSent()).as("not even an empty batch").isEqualTo(batches);

    // So does a restart from the stored index.
    int bScans = scans(b);
    b.stop();
    b.start();
    cluster.await(T, () -> scans(b) > bScans);
    awaitSettled(a, b);
    assertThat(cluster.network.indexRecordsSent()).isEqualTo(records);
    assertThat(cluster.network.blockBytesSent()).isEqualTo(bytes);
  }

  /**
   * Waits until both are in sync and each has read the other's index to its end. A node tells
   * a peer that its position moved (without records, e.g. after pulling the peer's own files)
   * a moment later, batched; only after that is there truly nothing left to send.
   */
  private void awaitSettled(RealFolderCluster.Member a, RealFolderCluster.Member b) {
    try {
    cluster.await(T, () -> a.node.status().inSync() && b.node.status().inSync()
        && a.node.status().peers().get(0).receivedSequence() == b.node.status().localSequence()
        && b.node.status().peers().get(0).receivedSequence() == a.node.status().localSequence());
    } catch (RuntimeException e) {
      throw new AssertionError("not settled: " + a.node.status() + " / " + b.node.status(), e);
    }
  }

  private static int scans(RealFolderCluster.Member m) {
    return (int) m.events.stream().filter(e -> e instanceof SyncEvent.ScanFinished).count();
  }
}
