package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two nodes on real folders: everything the original tool does. */
class TwoNodeSyncTest extends RealFolderPairCase {

  private static final Duration T = Duration.ofSeconds(20);

  TwoNodeSyncTest() {
    super(T);
  }

  @Test
  void initialSyncCopiesNestedAndEmptyFoldersUnicodeNamesAndEmptyFiles() throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = cluster.add("a");
    var b = cluster.add("b");
    a.write("notes/daily/2026-11-24.md", "# today\n");
    a.write("notes/caf\u00e9 \u4e2d\u6587.md", "unicode");
    a.write("empty.txt", new byte[0]);
    a.write("big.bin", new byte[300_000]);
    Files.createDirectories(a.path("empty/folder"));
    cluster.link(a, b);
    a.start();
    b.start();

    cluster.awaitConverged(T);
    assertThat(Files.isDirectory(b.path("empty/folder"))).isTrue();
    assertThat(b.read("notes/caf\u00e9 \u4e2d\u6587.md")).isEqualTo("unicode");
    assertThat(Files.size(b.path("empty.txt"))).isZero();
    assertThat(Files.size(b.path("big.bin"))).isEqualTo(300_000);
  }

  @Test
  void editsTravelBothWaysAndDeletesStayDeletedAcrossRestarts() {
    var pair = syncedPair("x.md", "one");
    var a = pair.a();
    var b = pair.b();

    b.write("x.md", "two");
    b.scan();
    cluster.await(T, () -> a.read("x.md").equals("two"));

    a.write("y.md", "new on a");
    a.scan();
    cluster.await(T, () -> Files.exists(b.path("y.md")));

    Path gone = a.path("x.md");
    try {
      Files.delete(gone);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    a.scan();
    cluster.await(T, () -> !Files.exists(b.path("x.md")));

    // Restart each side in turn: the delete is not undone.
    b.stop();
    b.start();
    a.stop();
    a.start();
    a.scan();
    b.scan();
    cluster.awaitConverged(T);
    cluster.await(T, () -> b.node.status().inSync() && a.node.status().inSync());
    assertThat(Files.exists(a.path("x.md"))).isFalse();
    assertThat(Files.exists(b.path("x.md"))).isFalse();
  }

  @Test
  void concurrentEditsWhilePartitionedKeepBothVersionsOnBothSides() {
    var pair = syncedPair("plan.md", "base");
    var a = pair.a();
    var b = pair.b();

    editBothWhileCut(pair, "plan.md", "edited on a", "edited on b, later and longer");

    cluster.awaitConverged(T);
    var tree = RealFolderCluster.tree(a.folder);
    assertThat(tree).hasSize(2);
    assertThat(tree.keySet()).anyMatch(p -> p.startsWith("plan.md.conflict-") && p.endsWith(".bak"));
    String copy = tree.keySet().stream().filter(p -> p.contains(".conflict-")).findFirst().orElseThrow();
    assertThat(java.util.Set.of(a.read("plan.md"), a.read(copy)))
        .containsExactlyInAnyOrder("edited on a", "edited on b, later and longer");
    // The side that held the losing version made the copy and said so.
    assertThat(java.util.stream.Stream.concat(a.events.stream(), b.events.stream()))
        .filteredOn(e -> e instanceof SyncEvent.ConflictCopyCreated)
        .hasSize(1);
  }

  @Test
  void anEditBeatsAConcurrentDelete() throws Exception {
    var pair = syncedPair("keep.md", "v1");
    var a = pair.a();
    var b = pair.b();

    cluster.cut(a, b);
    Files.delete(a.path("keep.md"));
    a.scan();
    b.write("keep.md", "v2 edited");
    b.scan();
    cluster.await(T, () -> a.node.status().localSequence() >= 2 && b.node.status().localSequence() >= 2);
    cluster.link(a, b);

    cluster.awaitConverged(T);
    assertThat(a.read("keep.md")).isEqualTo("v2 edited");
    assertThat(RealFolderCluster.tree(a.folder)).hasSize(1);
  }

  @Test
  void ignoredFilesStayLocalAndTheExecutableBitTravels() throws Exception {
    var pair = linkedPair();
    var a = pair.a();
    var b = pair.b();
    a.write(".jsyncignore", "*.log\nbuild/\n");
    a.write("app.log", "noise");
    a.write("build/out.o", "obj");
    a.write(".obsidian/workspace.json", "{}");
    a.write("run.sh", "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(a.path("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    a.start();
    b.start();

    cluster.await(T, () -> Files.exists(b.path("run.sh")) && Files.exists(b.path(".jsyncignore")));
    assertThat(Files.isExecutable(b.path("run.sh"))).isTrue();
    assertThat(b.path("app.log")).doesNotExist();
    assertThat(b.path("build")).doesNotExist();
    assertThat(b.path(".obsidian/workspace.json")).doesNotExist();
    // Ignore rules apply on the receiving side too: its own log stays put.
    b.write("local.log", "b's noise");
    b.scan();
    cluster.await(T, () -> b.node.status().filesNeeded() == 0);
    assertThat(a.path("local.log")).doesNotExist();
  }

  @Test
  void theWatcherSyncsASaveWithoutAnExplicitScan() {
    var pair = linkedPair(SyncOptions.defaults().withQuietWindow(Duration.ofMillis(20), Duration.ofMillis(200)));
    var a = pair.a();
    var b = pair.b();
    a.start();
    b.start();
    a.write("sub/new/note.md", "saved");
    cluster.await(T, () -> Files.exists(b.path("sub/new/note.md")) && b.read("sub/new/note.md").equals("saved"));
    b.write("sub/new/note.md", "saved again");
    cluster.await(T, () -> a.read("sub/new/note.md").equals("saved again"));
  }
}
