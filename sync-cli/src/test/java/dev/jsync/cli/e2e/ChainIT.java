package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A chain A - B - C: A and C never talk to each other, yet everything reaches both through B. */
class ChainIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void changesTravelTheWholeChainBothWays() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Node c = cluster.add("c");
    Cluster.dial(a, b);
    Cluster.dial(c, b);
    a.write("from-a.md", "written on a");
    c.write("from-c/deep/note.md", "written on c");
    a.start();
    b.start();
    c.start();

    cluster.awaitConverged(a, b, c);
    assertThat(c.read("from-a.md")).isEqualTo("written on a");
    assertThat(a.read("from-c/deep/note.md")).isEqualTo("written on c");

    c.write("from-a.md", "edited on c");
    cluster.await("c's edit on a", () -> "edited on c".equals(a.read("from-a.md")));
    Files.delete(a.path("from-c/deep/note.md"));
    cluster.await("a's delete on c", () -> !Files.exists(c.path("from-c/deep/note.md")));
    cluster.awaitConverged(a, b, c);
    assertThat(Tree.of(c.folder)).containsOnlyKeys("from-a.md", "from-c", "from-c/deep");
  }
}
