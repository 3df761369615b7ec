package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine hands what a peer's change replaces or removes, and a conflict's loser, to the
 * version store before it touches the file; restoring brings it back everywhere as an ordinary
 * local change.
 */
class VersionHistoryTest {

  private static final Duration T = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private RealFolderCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private RealFolderCluster.Member withHistory(RealFolderCluster.Member m) {
    m.versions = VersionStore.open(dir.resolve(m.name + ".state"), m.folder, Retention.defaults(), Clock.systemUTC());
    return m;
  }

  private static List<Version> versions(RealFolderCluster.Member m, String path) {
    try {
      return m.node.versions(List.of(RelativePath.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String content(RealFolderCluster.Member m, Version v) throws IOException {
    return Files.readString(m.versions.content(v));
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void whatAPeerReplacesOrDeletesIsKeptAndARestoreBringsItBackEverywhere() throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = cluster.add("a");
    var b = withHistory(cluster.add("b"));
    cluster.link(a, b);
    a.write("notes/x.md", "one");
    a.start();
    b.start();
    cluster.awaitConverged(T);

    a.write("notes/x.md", "two");
    a.scan();
    cluster.await(T, () -> b.read("notes/x.md").equals("two"));
    List<Version> kept = versions(b, "notes/x.md");
    assertThat(kept).singleElement().satisfies(v -> {
      assertThat(v.reason()).isEqualTo(Version.Reason.REPLACED);
      assertThat(v.by()).isEqualTo("a");
      assertThat(v.path()).isEqualTo(RelativePath.of("notes/x.md"));
    });
    assertThat(content(b, kept.get(0))).isEqualTo("one");
    assertThat(b.events).contains(new SyncEvent.VersionKept(kept.get(0)));

    delete(a.path("notes/x.md"));
    a.scan();
    cluster.await(T, () -> !Files.exists(b.path("notes/x.md")));
    kept = versions(b, "notes");
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0).reason()).isEqualTo(Version.Reason.DELETED);
    assertThat(content(b, kept.get(0))).isEqualTo("two");

    // Restoring the folder brings back what the delete removed, on every device, with no conflict.
    assertThat(b.node.restore(RelativePath.of("notes"), Optional.empty(), Optional.empty()))
        .extracting(VersionStore.Restored::to).containsExactly(RelativePath.of("notes/x.md"));
    cluster.await(T, () -> Files.exists(a.path("notes/x.md")) && a.read("notes/x.md").equals("two"));
    cluster.awaitConverged(T);
    assertThat(RealFolderCluster.tree(a.folder)).containsOnlyKeys("notes", "notes/x.md");

    // And the oldest version, by its id, over the current one; the current one is kept first.
    String first = versions(b, "notes/x.md").get(1).id();
    b.node.restore(RelativePath.of("notes/x.md"), Optional.of(first), Optional.empty());
    cluster.await(T, () -> a.read("notes/x.md").equals("one"));
    cluster.awaitConverged(T);
    assertThat(RealFolderCluster.tree(a.folder)).containsOnlyKeys("notes", "notes/x.md");
    assertThat(versions(b, "notes/x.md").get(0).reason()).isEqualTo(Version.Reason.REPLACED);
    assertThat(content(b, versions(b, "notes/x.md").get(0))).isEqualTo("two");
  }

  @Test
  void theLoserOfAConflictIsKeptAsAVersionToo() throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = withHistory(cluster.add("a"));
    var b = withHistory(cluster.add("b"));
    cluster.link(a, b);
    a.write("plan.md", "base");
    a.start();
    b.start();
    cluster.awaitConverged(T);

    cluster.cut(a, b);
    a.write("plan.md", "edited on a");
    a.scan();
    b.write("plan.md", "edited on b, later and longer");
    b.scan();
    cluster.await(T, () -> a.node.status().localSequence() > 1 && b.node.status().localSequence() > 1);
    cluster.link(a, b);
    cluster.awaitConverged(T);

    List<Version> conflicts = new java.util.ArrayList<>();
    for (var m : List.of(a, b)) {
      versions(m, "plan.md").stream().filter(v -> v.reason() == Version.Reason.CONFLICT).forEach(conflicts::add);
    }
    assertThat(conflicts).hasSize(1);
    String loser = conflicts.get(0).by().equals("a") ? "edited on b, later and longer" : "edited on a";
    var keeper = conflicts.get(0).by().equals("a") ? b : a;
    assertThat(content(keeper, conflicts.get(0))).isEqualTo(loser);
  }

  @Test
  void aChangeOfTheExecutableBitAloneKeepsNothing() throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = cluster.add("a");
    var b = withHistory(cluster.add("b"));
    cluster.link(a, b);
    a.write("run.sh", "echo hi");
    a.start();
    b.start();
    cluster.awaitConverged(T);
    Files.setPosixFilePermissions(a.path("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    a.scan();
    cluster.await(T, () -> Files.isExecutable(b.path("run.sh")));
    assertThat(versions(b, "run.sh")).isEmpty();
  }
}
