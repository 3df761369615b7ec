package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A folder deleted on one device goes on the other even though Finder or Explorer left junk
 * files in it there (ignored, so never synced, and without this nothing would ever delete them).
 * Real jsync processes on 127.0.0.1.
 */
class JunkFilesIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void aFolderDeletedOnOneDeviceGoesOnTheOtherDespiteTheJunkFilesInIt() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("photos/2026/cat.jpg", "a cat");
    a.write("notes/keep.md", "stays");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    b.write("photos/.DS_Store", "Finder's view settings");
    b.write("photos/2026/._cat.jpg", "an AppleDouble file");
    b.write("photos/2026/Thumbs.db", "Explorer's thumbnails");
    deleteTree(a.path("photos"));

    cluster.await("photos gone on b", () -> !Files.exists(b.path("photos")));
    cluster.awaitConverged(a, b);
    assertThat(b.read("notes/keep.md")).isEqualTo("stays");
    assertThat(a.path("photos")).as("and not brought back on a").doesNotExist();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
