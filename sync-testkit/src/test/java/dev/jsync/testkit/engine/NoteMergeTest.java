package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.ConflictCopies;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes edit one note while cut off from each other: edits of different paragraphs are
 * merged into one version that both take, with no conflict copy and no further traffic; edits of
 * the same paragraph end as today, the loser kept as a conflict copy whose name ends in
 * {@code .md}.
 */
class NoteMergeTest {

  private static final Duration T = Duration.ofSeconds(20);
  private static final String NOTE = "notes/x.md";
  private static final String BASE = "# One\n\nfirst paragraph\n\n# Two\n\nsecond\n\n# Three\n\nthird\n\n"
      + "# Four\n\nfourth\n\n# Five\n\nfifth paragraph\n";

  private static final SyncOptions NOTES = SyncOptions.defaults().withWatch(false).withMergeable(MergeableFiles.defaults());

  @TempDir
  Path dir;

  private RealFolderCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private RealFolderCluster.Member merging(RealFolderCluster.Member m) throws IOException {
    m.mergeBases = MergeBases.open(dir.resolve(m.name + ".state/merge-bases"), MergeBases.DEFAULT_MAX_BYTES);
    return m;
  }

  private static boolean holdsBase(RealFolderCluster.Member m) {
    try {
      return !m.mergeBases.bases(RelativePath.of(NOTE)).isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two merging nodes that hold {@link #BASE} and then edit it apart. */
  private List<RealFolderCluster.Member> editApart(String onA, String onB) throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = merging(cluster.add("a", NOTES));
    var b = merging(cluster.add("b", NOTES));
    cluster.link(a, b);
    a.write(NOTE, BASE);
    a.start();
    b.start();
    cluster.awaitConverged(T);
    cluster.await(T, () -> holdsBase(a) && holdsBase(b));

    cluster.cut(a, b);
    long seqA = a.node.status().localSequence();
    long seqB = b.node.status().localSequence();
    a.write(NOTE, onA);
    a.scan();
    b.write(NOTE, onB);
    b.scan();
    cluster.await(T, () -> a.node.status().localSequence() > seqA && b.node.status().localSequence() > seqB);
    cluster.link(a, b);
    cluster.awaitConverged(T);
    return List.of(a, b);
  }

  @Test
  void editsOfDifferentParagraphsAreMergedWithNoConflictCopyAndSettle() throws Exception {
    String onA = BASE.replace("first paragraph", "first paragraph, edited on a");
    String onB = BASE.replace("fifth paragraph", "fifth paragraph, edited on b");
    var nodes = editApart(onA, onB);
    var a = nodes.get(0);
    var b = nodes.get(1);

    String both = BASE.replace("first paragraph", "first paragraph, edited on a")
        .replace("fifth paragraph", "fifth paragraph, edited on b");
    assertThat(a.read(NOTE)).isEqualTo(both);
    assertThat(b.read(NOTE)).isEqualTo(both);
    assertThat(RealFolderCluster.tree(a.folder)).containsOnlyKeys("notes", NOTE);

    List<SyncEvent> merges = new java.util.ArrayList<>();
    for (var m : nodes) {
      m.events.stream().filter(e -> e instanceof SyncEvent.FileMerged).forEach(merges::add);
      assertThat(m.events).noneMatch(e -> e instanceof SyncEvent.ConflictCopyCreated);
    }
    assertThat(merges).singleElement().satisfies(e -> {
      SyncEvent.FileMerged f = (SyncEvent.FileMerged) e;
      assertThat(f.path()).isEqualTo(RelativePath.of(NOTE));
      assertThat(List.of(f.ours(), f.theirs())).containsExactlyInAnyOrder(a.id, b.id);
    });
    assertThat(a.node.status().filesMerged() + b.node.status().filesMerged()).isEqualTo(1);

    // Settled: the merged version follows both, so neither side changes anything any more.
    cluster.await(T, () -> a.node.status().inSync() && b.node.status().inSync());
    long seqA = a.node.status().localSequence();
    long seqB = b.node.status().localSequence();
    Thread.sleep(300);
    a.scan();
    b.scan();
    Thread.sleep(300);
    assertThat(a.node.status().localSequence()).isEqualTo(seqA);
    assertThat(b.node.status().localSequence()).isEqualTo(seqB);
  }

  @Test
  void editsOfTheSameParagraphKeepTheLoserAsACopyNamedLikeANote() throws Exception {
    String onA = BASE.replace("second", "second, as a has it");
    String onB = BASE.replace("second", "second, as b has it");
    var nodes = editApart(onA, onB);
    var a = nodes.get(0);

    Map<String, String> tree = RealFolderCluster.tree(a.folder);
    assertThat(tree).hasSize(3).containsKeys("notes", NOTE);
    String copy = tree.keySet().stream().filter(k -> !k.equals("notes") && !k.equals(NOTE)).findFirst().orElseThrow();
    assertThat(copy).matches("notes/x\\.conflict-\\d{8}-\\d{6}-[a-z2-7]{7}\\.md");
    assertThat(ConflictCopies.isConflictCopy(RelativePath.of(copy))).isTrue();
    assertThat(List.of(a.read(NOTE), a.read(copy))).containsExactlyInAnyOrder(onA, onB);
    for (var m : nodes) {
      assertThat(m.events).noneMatch(e -> e instanceof SyncEvent.FileMerged);
      assertThat(m.node.status().filesMerged()).isZero();
    }
    assertThat(nodes.stream().flatMap(m -> m.events.stream()))
        .as("the side that tried to merge says why it did not")
        .anyMatch(e -> e instanceof SyncEvent.NotMerged n && n.path().equals(RelativePath.of(NOTE))
            && n.reason() == SyncEvent.NotMerged.Reason.OVERLAPPING_EDITS);
  }

  private static List<String> baseContents(RealFolderCluster.Member m) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (MergeBases.Base b : m.mergeBases.bases(RelativePath.of(NOTE))) {
      out.add(new String(m.mergeBases.content(b.contentHash()).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * A version stays a possible base until every known peer is known to hold a later one, and the
   * version right before the one a device holds stays anyway (a device it cannot know of may hold
   * it): after a's second version both keep the first and the second; after b's third, a, which
   * took the third from b itself, drops the first, which both are known to have moved past, and
   * keeps the second, right before the third. So does b: a announced the second, and b cannot
   * tell that a holds the third (peers do not announce a version they took unchanged).
   */
  @Test
  void basesEveryPeerIsKnownToHaveMovedPastArePruned() throws Exception {
    cluster = new RealFolderCluster(dir);
    var a = merging(cluster.add("a", NOTES));
    var b = merging(cluster.add("b", NOTES));
    cluster.link(a, b);
    a.write(NOTE, BASE);
    a.start();
    b.start();
    cluster.awaitConverged(T);
    cluster.await(T, () -> holdsBase(a) && holdsBase(b));
    String second = BASE.replace("first paragraph", "first paragraph, second version");
    a.write(NOTE, second);
    a.scan();
    cluster.awaitConverged(T);
    cluster.await(T, () -> baseContents(b).equals(List.of(BASE, second)));
    assertThat(baseContents(a)).containsExactly(BASE, second);

    String third = second.replace("fifth paragraph", "fifth paragraph, third version");
    b.write(NOTE, third);
    b.scan();
    cluster.awaitConverged(T);
    cluster.await(T, () -> baseContents(a).equals(List.of(second, third)));
    assertThat(baseContents(b)).containsExactly(second, third);
  }
}
