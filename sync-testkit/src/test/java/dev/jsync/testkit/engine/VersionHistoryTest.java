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
import org.junit.jupiter.api.Test;

/**
 * The engine hands what a peer's change replaces or removes, and a conflict's loser, to the
 * version store before it touches the file; restoring brings it back everywhere as an ordinary
 * local change.
 */
class VersionHistoryTest extends RealFolderPairCase {

  private static final Duration T = Duration.ofSeconds(20);

  VersionHistoryTest() {
    super(T);
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
    var pair = linkedPair();
    var a = pair.a();
    var b = withHistory(pair.b());
    a.write("notes/x.md", "one");
    startConverged(pair);

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
    var pair = linkedPair();
    var a = withHistory(pair.a());
    var b = withHistory(pair.b());
    a.write("plan.md", "base");
    startConverged(pair);

    editBothWhileCut(pair, "plan.md", "edited on a", "edited on b, later and longer");
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
    var pair = linkedPair();
    var a = pair.a();
    var b = withHistory(pair.b());
    a.write("run.sh", "echo hi");
    startConverged(pair);
    Files.setPosixFilePermissions(a.path("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    a.scan();
    cluster.await(T, () -> Files.isExecutable(b.path("run.sh")));
    assertThat(versions(b, "run.sh")).isEmpty();
  }
}
