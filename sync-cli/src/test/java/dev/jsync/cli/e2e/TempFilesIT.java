package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A download that does not end as planned leaves no temp file behind: converged trees hold none
 * (Cluster.awaitConverged checks both). The receiver dials the sender through a throttled relay
 * so that the download lasts long enough to act in the middle of it. Real jsync processes on
 * 127.0.0.1.
 */
class TempFilesIT {

  private static final long SIZE = 24L << 20;
  private static final long SLOW = 4L << 20;

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void aSaveOnTheReceiverDuringADownloadIsKeptAndLeavesNoTempFile() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Relay relay = cluster.dialThroughRelay(b, a);
    relay.throttle(SLOW);
    writeRandom(a.path("big.bin"), SIZE, 42);
    a.start();
    b.start();
    awaitPartialDownload(b);

    String save = "saved on b while the download ran";
    b.write("big.bin", save);
    relay.throttle(0);

    cluster.awaitConverged(a, b);
    assertThat(holding(b.folder, save)).as("b's save, as the file or its conflict copy").isTrue();
    assertThat(holding(a.folder, save)).as("and on a").isTrue();
  }

  @Test
  void aDownloadInterruptedAndThenChangedOnTheSenderLeavesNoTempFile() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Relay relay = cluster.dialThroughRelay(b, a);
    relay.throttle(SLOW);
    writeRandom(a.path("big.bin"), SIZE, 42);
    a.start();
    b.start();
    awaitPartialDownload(b);
    b.kill();
    assertThat(Tree.temps(b.folder)).as("the partial download is kept for a resume").isNotEmpty();

    writeRandom(a.path("big.bin"), SIZE, 7); // a new version while b is down: the partial one is useless
    String expected = Tree.sha256(a.path("big.bin"));
    relay.throttle(0);
    b.start();

    cluster.awaitConverged(a, b);
    assertThat(Tree.sha256(b.path("big.bin"))).isEqualTo(expected);
  }

  private void awaitPartialDownload(Node b) {
    cluster.await("a download of big.bin under way on b", () -> Tree.temps(b.folder).stream()
        .anyMatch(t -> size(t) >= (2L << 20)));
    assertThat(b.path("big.bin")).doesNotExist();
  }

  /** Whether some file in the folder (outside the state folder) holds exactly {@code content}. */
  private static boolean holding(Path folder, String content) throws IOException {
    byte[] want = content.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> !p.startsWith(folder.resolve(".jsync")) && Files.isRegularFile(p) && size(p) == want.length)
          .anyMatch(p -> {
            try {
              return java.util.Arrays.equals(Files.readAllBytes(p), want);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1; // renamed into place meanwhile
    }
  }

  /** Random bytes, so no block can be found elsewhere or compressed away. */
  private static void writeRandom(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] buf = new byte[1 << 20];
    Path temp = file.resolveSibling(file.getFileName() + ".writing.tmp"); // ignored (*.tmp) until renamed
    try (OutputStream out = Files.newOutputStream(temp)) {
      for (long done = 0; done < size; done += buf.length) {
        random.nextBytes(buf);
        out.write(buf);
      }
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
