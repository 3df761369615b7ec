package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A receiver killed with SIGKILL in the middle of a large download: the file's final path never
 * holds a partial file, and the download completes (resuming from its temp file) after a restart.
 */
class InterruptedTransferIT {

  private static final long SIZE = 256L << 20;

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void aKilledReceiverNeverShowsAPartialFileAndFinishesAfterRestart() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    writeRandom(a.path("big.bin"), SIZE);
    String expected = Tree.sha256(a.path("big.bin"));
    a.start();
    b.start();

    // Kill b once a good part of the file sits in its temp file, long before it is complete.
    cluster.await("a download of big.bin under way on b", () -> tempFile(b).map(t -> size(t) >= (16L << 20)).orElse(false));
    assertThat(b.path("big.bin")).as("the final path before the kill").doesNotExist();
    b.kill();
    assertThat(b.path("big.bin")).as("the final path after the kill").doesNotExist();
    assertThat(tempFile(b)).as("the partial download is kept, under its temp name").isPresent();

    b.start();
    cluster.awaitConverged(a, b);
    assertThat(Files.size(b.path("big.bin"))).isEqualTo(SIZE);
    assertThat(Tree.sha256(b.path("big.bin"))).isEqualTo(expected);
    assertThat(tempFile(b)).as("no temp file left").isEmpty();
    // Resumed, not started over: part of the file came from the temp file.
    assertThat(b.log()).containsPattern("received big\\.bin \\(256 MiB, [0-9.]+ [KMG]i?B transferred\\)");
  }

  private static Optional<Path> tempFile(Node n) {
    try (Stream<Path> s = Files.list(n.folder)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".jsync-tmp-")).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
  private static void writeRandom(Path file, long size) throws IOException {
    Random random = new Random(42);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        random.nextBytes(buf);
        out.write(buf);
      }
    }
  }
}
