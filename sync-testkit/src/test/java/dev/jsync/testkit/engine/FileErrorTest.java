package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that cannot be written is reported and retried; everything else keeps syncing. The
 * folder is made immutable with {@code chattr +i}, which stops even root (tests run as root
 * here, so permission bits would not).
 */
class FileErrorTest {

  private static final Duration T = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private RealFolderCluster cluster;
  private Path locked;

  @AfterEach
  void tearDown() throws Exception {
    if (locked != null) {
      chattr("-i", locked);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anUnwritableFileIsReportedAndRetriedWhileOthersSync() throws Exception {
    cluster = new RealFolderCluster(dir);
    SyncOptions fastRetry = SyncOptions.defaults().withWatch(false).withRetryDelay(Duration.ofMillis(200));
    var a = cluster.add("a", fastRetry);
    var b = cluster.add("b", fastRetry);
    cluster.link(a, b);
    a.write("locked/first.md", "1");
    a.start();
    b.start();
    cluster.awaitConverged(T);

    locked = b.path("locked");
    assumeTrue(chattr("+i", locked), "chattr +i is not available on this file system");
    a.write("locked/second.md", "2");
    a.write("free.md", "free");
    a.scan();

    cluster.await(T, () -> Files.exists(b.path("free.md")));
    cluster.await(T, () -> b.events.stream().anyMatch(e -> e instanceof SyncEvent.Error err
        && err.path().map(p -> p.toString().equals("locked/second.md")).orElse(false)));
    assertThat(b.node.status().filesNeeded()).isEqualTo(1);

    assertThat(chattr("-i", locked)).isTrue();
    locked = null;
    cluster.awaitConverged(T);
    assertThat(b.read("locked/second.md")).isEqualTo("2");
    cluster.await(T, () -> b.node.status().filesNeeded() == 0);
  }

  private static boolean chattr(String flag, Path p) throws Exception {
    Process proc = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
    try {
      return proc.waitFor() == 0;
    } catch (InterruptedException e) {
      proc.destroyForcibly();
      throw e;
    }
  }
}
