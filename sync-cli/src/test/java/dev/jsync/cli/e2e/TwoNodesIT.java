package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two real jsync processes on 127.0.0.1: what the original tool does, and where jSync does better. */
class TwoNodesIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void initialSyncThenEditsBothWaysWithIgnoredFilesAndTheExecutableBit() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("notes/daily/2026-11-24.md", "# today\n");
    a.write("notes/caf\u00e9 \u65e5\u672c\u8a9e \u2713.md", "unicode");
    a.write("empty.txt", "");
    Files.createDirectories(a.path("empty/nested/folder"));
    a.write("run.sh", "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(a.path("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    a.write(".jsyncignore", "*.log\nbuild/\n");
    a.write("app.log", "a's noise");
    a.write("build/out.o", "object code");
    a.write(".DS_Store", "finder");
    b.write("from-b/hello.md", "b was here first");
    a.start();
    b.start();

    Set<String> ignored = Set.of(".DS_Store", "app.log", "build", "build/out.o", "local.log");
    cluster.awaitConverged(ignored, a, b);
    assertThat(b.read("notes/caf\u00e9 \u65e5\u672c\u8a9e \u2713.md")).isEqualTo("unicode");
    assertThat(Files.size(b.path("empty.txt"))).isZero();
    assertThat(b.path("empty/nested/folder")).isEmptyDirectory();
    assertThat(executable(b.path("run.sh"))).isTrue();
    assertThat(a.read("from-b/hello.md")).isEqualTo("b was here first");
    // Ignored files stayed where they were: the trees compared equal without them.
    assertThat(b.path("app.log")).doesNotExist();
    assertThat(b.path("build")).doesNotExist();
    assertThat(b.path(".DS_Store")).doesNotExist();
    assertThat(a.path("app.log")).exists();

    // Saves travel both ways through the watcher, and so does the executable bit.
    b.write("notes/daily/2026-11-24.md", "# today\nedited on b\n");
    cluster.await("b's edit on a", () -> "# today\nedited on b\n".equals(a.read("notes/daily/2026-11-24.md")));
    a.write("new/deeper/idea.md", "from a");
    Files.setPosixFilePermissions(a.path("run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
    cluster.await("a's new file on b", () -> "from a".equals(b.read("new/deeper/idea.md")));
    cluster.await("run.sh no longer executable on b", () -> !executable(b.path("run.sh")));

    // b's own log file stays on b: a ignores it too.
    b.write("local.log", "b's noise");
    b.write("marker.md", "written after local.log");
    cluster.await("marker on a", () -> Files.exists(a.path("marker.md")));
    cluster.awaitConverged(ignored, a, b);
    assertThat(a.path("local.log")).doesNotExist();
  }

  @Test
  void deletesStayDeletedAcrossRestartsOfEitherNode() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("doomed.md", "delete me");
    a.write("folder/inside.md", "and me");
    a.write("kept.md", "stay");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);
    Run status = Run.of(cluster.base(), Map.of(), "status", "-d", a.folder.toString());
    assertThat(status.exitCode()).as(status.out()).isZero();
    assertThat(status.out()).contains("jsync is running on " + a.folder, "in sync with every peer")
        .containsPattern("(?m)^  b +[a-z2-7]{7} +yes +nothing +yes$");

    Files.delete(a.path("doomed.md"));
    Files.delete(a.path("folder/inside.md"));
    Files.delete(a.path("folder"));
    cluster.await("deletes on b", () -> !Files.exists(b.path("doomed.md")) && !Files.exists(b.path("folder")));

    assertThat(b.stop()).as("exit code after SIGTERM").isZero();
    b.start();
    cluster.awaitConverged(a, b);
    assertThat(a.stop()).as("exit code after SIGTERM").isZero();
    a.start();
    cluster.awaitConverged(a, b);

    Map<String, String> tree = Tree.of(a.folder);
    assertThat(tree).containsOnlyKeys("kept.md");

    assertThat(b.stop()).isZero();
    Run stopped = Run.of(cluster.base(), Map.of(), "status", "-d", b.folder.toString());
    assertThat(stopped.exitCode()).as(stopped.out()).isEqualTo(6);
    assertThat(stopped.out()).contains("jsync is NOT running on " + b.folder);
  }

  @Test
  void editsMadeWhileANodeIsOfflineCatchUpWhenItReturns() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("x.md", "one");
    a.write("y.md", "to be deleted while b is away");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    assertThat(b.stop()).isZero();
    long before = a.localSequence();
    a.write("x.md", "two, written while b was off");
    a.write("new/while-away.md", "new");
    Files.delete(a.path("y.md"));
    b.write("b-offline.md", "written on b while it was not running");
    cluster.await("a has recorded its changes", () -> a.localSequence() >= before + 3);
    b.start();

    cluster.awaitConverged(a, b);
    assertThat(b.read("x.md")).isEqualTo("two, written while b was off");
    assertThat(b.read("new/while-away.md")).isEqualTo("new");
    assertThat(b.path("y.md")).doesNotExist();
    assertThat(a.read("b-offline.md")).isEqualTo("written on b while it was not running");
  }

  @Test
  void editsOfDifferentParagraphsWhilePartitionedAreMergedOnEveryNodeWithNoCopy() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    String note = "# One\n\nfirst\n\n# Two\n\nsecond\n\n# Three\n\nthird\n\n# Four\n\nfourth\n\n# Five\n\nfifth\n";
    a.write("notes/plan.md", note);
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    assertThat(b.stop()).isZero();
    long before = a.localSequence();
    a.write("notes/plan.md", note.replace("first", "first, edited on a"));
    cluster.await("a has recorded its edit", () -> a.localSequence() > before);
    b.write("notes/plan.md", note.replace("fifth", "fifth, edited on b while it was off"));
    b.start();

    cluster.awaitConverged(a, b);
    String both = note.replace("first", "first, edited on a").replace("fifth", "fifth, edited on b while it was off");
    assertThat(Tree.of(a.folder)).containsOnlyKeys("notes", "notes/plan.md");
    assertThat(a.read("notes/plan.md")).isEqualTo(both);
    assertThat(b.read("notes/plan.md")).isEqualTo(both);
    assertThat(a.log() + b.log()).contains("merged notes/plan.md: edits from");
  }

  @Test
  void concurrentEditsWhilePartitionedKeepBothVersionsOnEveryNode() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("plan.md", "base");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    assertThat(b.stop()).isZero();
    long before = a.localSequence();
    a.write("plan.md", "edited on a");
    cluster.await("a has recorded its edit", () -> a.localSequence() > before);
    b.write("plan.md", "edited on b, while it was off");
    b.start();

    cluster.awaitConverged(a, b);
    Map<String, String> tree = Tree.of(a.folder);
    assertThat(tree).hasSize(2).containsKey("plan.md");
    String copy = tree.keySet().stream().filter(p -> !p.equals("plan.md")).findFirst().orElseThrow();
    // A note's copy keeps its extension, so that editors show it (docs/conflicts.md).
    assertThat(copy).startsWith("plan.conflict-").endsWith(".md");
    for (Node n : new Node[] {a, b}) {
      assertThat(Set.of(n.read("plan.md"), n.read(copy)))
          .as("both versions on %s", n)
          .containsExactlyInAnyOrder("edited on a", "edited on b, while it was off");
    }
    assertThat(a.log() + b.log()).contains("conflict on plan.md").contains(copy);
  }

  @Test
  void anEditBeatsAConcurrentDelete() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("keep.md", "v1");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    assertThat(b.stop()).isZero();
    long before = a.localSequence();
    Files.delete(a.path("keep.md"));
    cluster.await("a has recorded its delete", () -> a.localSequence() > before);
    b.write("keep.md", "v2, edited on b");
    b.start();

    cluster.awaitConverged(a, b);
    assertThat(a.read("keep.md")).isEqualTo("v2, edited on b");
    assertThat(Tree.of(a.folder)).containsOnlyKeys("keep.md");
  }

  @Test
  void aNodeWithAnotherSecretExchangesNothing() throws Exception {
    Node a = cluster.add("a");
    Node intruder = cluster.add("intruder");
    Cluster.dial(intruder, a);
    intruder.secret = "a different secret";
    a.write("private.md", "for the right secret only");
    intruder.write("planted.md", "should never reach a");
    a.start();
    intruder.start();

    cluster.await("an authentication failure logged on both sides",
        () -> a.log().contains("authentication failed") && intruder.log().contains("authentication failed"));
    assertThat(intruder.path("private.md")).doesNotExist();
    assertThat(a.path("planted.md")).doesNotExist();
    assertThat(a.log()).doesNotContain("connected to intruder");
    assertThat(Tree.of(intruder.folder)).containsOnlyKeys("planted.md");
    // Retries fail the same way: one line each, not one per retry.
    Thread.sleep(2500);
    assertThat(intruder.log().lines().filter(l -> l.contains("authentication failed"))).hasSize(1);
    // status says why: the intruder's dial failed on the secret.
    cluster.await("the status file names the reason", () -> {
      Run r = Run.of(cluster.base(), java.util.Map.of(), "status", "-d", intruder.folder.toString());
      return r.out().contains("cannot connect to") && r.out().contains(": wrong secret (");
    });
  }

  private static boolean executable(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
