package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names in another Unicode form than NFC, as macOS tools and some archives write them, between two
 * real jsync processes on 127.0.0.1 (docs/filesystems.md).
 */
class NamesIT {

  private static final String NFD = "re\u0301sume\u0301.md";
  private static final String NFC = "r\u00e9sum\u00e9.md";

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void aNoteSavedUnderADecomposedNameArrivesOnThePeer() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("start.md", "first");
    // b is told how its disk compares names instead of finding out: the flag works end to end.
    b.extraArgs.add("--names");
    b.extraArgs.add("exact");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    // Saved while both run: the watcher sees the decomposed name.
    a.write("notes/" + NFD, "saved by a Mac tool");
    cluster.await("the decomposed note on b", () -> "saved by a Mac tool".equals(b.read("notes/" + NFC)));
    cluster.awaitConverged(a, b);
    assertThat(names(a.path("notes"))).as("a renamed it to its NFC name").containsExactly(NFC);
    assertThat(names(b.path("notes"))).containsExactly(NFC);
    assertThat(a.stop()).isZero();
    assertThat(b.stop()).isZero();
  }

  private static Object[] names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray();
    }
  }
}
