package dev.jsync.testkit.engine;

import dev.jsync.core.SyncOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up that tests on a {@link RealFolderCluster} share: a cluster in a temporary folder,
 * closed after each test, and the usual start of two linked devices {@code a} and {@code b}.
 */
abstract class RealFolderPairCase {

  @TempDir
  Path dir;

  RealFolderCluster cluster;

  private final Duration timeout;

  /** {@code timeout} bounds each wait the helpers here make. */
  RealFolderPairCase(Duration timeout) {
    this.timeout = timeout;
  }

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Two devices of a cluster: {@code a} and {@code b}. */
  record Pair(RealFolderCluster.Member a, RealFolderCluster.Member b) {}

  /** A new cluster with {@code a} and {@code b} (on the cluster's default options), linked and not started. */
  Pair linkedPair() {
    cluster = new RealFolderCluster(dir);
    return link(new Pair(cluster.add("a"), cluster.add("b")));
  }

  /** A new cluster with {@code a} and {@code b} on {@code options}, linked and not started. */
  Pair linkedPair(SyncOptions options) {
    cluster = new RealFolderCluster(dir);
    return link(new Pair(cluster.add("a", options), cluster.add("b", options)));
  }

  private Pair link(Pair p) {
    cluster.link(p.a(), p.b());
    return p;
  }

  /** Starts {@code a}, then {@code b}, and waits until their folders hold the same tree. */
  Pair startConverged(Pair p) {
    p.a().start();
    p.b().start();
    cluster.awaitConverged(timeout);
    return p;
  }

  /** A linked pair that has synced {@code file}, which {@code a} held at start. */
  Pair syncedPair(String file, byte[] content) {
    Pair p = linkedPair();
    p.a().write(file, content);
    return startConverged(p);
  }

  /** A linked pair that has synced {@code file}, which {@code a} held at start. */
  Pair syncedPair(String file, String content) {
    Pair p = linkedPair();
    p.a().write(file, content);
    return startConverged(p);
  }

  /**
   * Cuts the link, has {@code a} save {@code onA} and then {@code b} save {@code onB} to
   * {@code file}, waits until both have recorded their edit, and links them again.
   */
  void editBothWhileCut(Pair p, String file, String onA, String onB) {
    var a = p.a();
    var b = p.b();
    cluster.cut(a, b);
    a.write(file, onA);
    a.scan();
    b.write(file, onB);
    b.scan();
    cluster.await(timeout, () -> a.node.status().localSequence() > 1 && b.node.status().localSequence() > 1);
    cluster.link(a, b);
  }
}
