package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.Sha256;
import dev.jsync.testkit.WriteHistory.SeenFile;
import dev.jsync.testkit.WriteHistory.SeenFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rules by which the simulator judges lost writes and resurrections. */
class WriteHistoryTest {

  private final WriteHistory h = new WriteHistory();
  private final InMemoryFolder folder = InMemoryFolder.create(Clock.systemUTC());

  @AfterEach
  void close() {
    folder.close();
  }

  private static SeenFile file(String text) {
    return new SeenFile(Sha256.of(text.getBytes(StandardCharsets.UTF_8)), false);
  }

  private FolderTree tree(String... pathsAndTexts) throws Exception {
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      Path p = folder.root().resolve(pathsAndTexts[i]);
      Files.createDirectories(p.getParent());
      Files.writeString(p, pathsAndTexts[i + 1]);
    }
    return FolderTree.of(folder.root());
  }

  /**
   * An empty note, edited into a text every device takes; two users edit different lines of it,
   * and a third writes the note empty again over one of the edits. The engines merge the two
   * edits on the common text. The empty file written the second time was made from an edit, but
   * the common text was made from the first empty file, before that edit existed: it is no
   * descendant of the edit, and the merge is recognised.
   */
  @Test
  void aContentWrittenAgainKeepsTheOriginOfItsFirstMaking() {
    h.mergeable(dev.jsync.core.merge.MergeableFiles.defaults());
    String common = "one\ntwo\nthree\nfour\nfive\nsix\n";
    String first = common.replace("two", "two, first");
    String second = common.replace("five", "five, second");
    made("pi", "", null);
    made("desktop", common, "");
    made("vps", first, common);
    made("laptop", second, common);
    made("pi", "", second);
    String merged = common.replace("two", "two, first").replace("five", "five, second");
    assertThat(h.recogniseMerge("vps", "b.txt", merged.getBytes(StandardCharsets.UTF_8), false)).isTrue();
  }

  /**
   * Two edits of a note, merged on the desktop; the desktop's user then writes over the merge.
   * The vps, which had not seen that write, merges the same two edits into the same bytes: a
   * version of its own, concurrent with the desktop's write, which the rule may let win. Found at
   * the path, it is no resurrection; the desktop's merge alone would be. The merge made again on
   * the desktop itself adds nothing.
   */
  @Test
  void aMergeMadeAgainElsewhereWithTheSameBytesIsAVersionOfItsOwn() throws Exception {
    h.mergeable(dev.jsync.core.merge.MergeableFiles.defaults());
    String common = "one\ntwo\nthree\nfour\nfive\nsix\n";
    String first = common.replace("two", "two, first");
    String second = common.replace("five", "five, second");
    made("pi", common, null);
    made("laptop", first, common);
    made("vps", second, common);
    String merged = common.replace("two", "two, first").replace("five", "five, second");
    byte[] mergedBytes = merged.getBytes(StandardCharsets.UTF_8);
    assertThat(h.recogniseMerge("desktop", "b.txt", mergedBytes, false)).isTrue();
    made("desktop", "the desktop's own text\n", merged);
    h.mergedAgain("desktop", "b.txt", mergedBytes, false);
    assertThat(h.resurrections(tree("b.txt", merged))).as("the desktop's merge alone").hasSize(1);

    h.mergedAgain("vps", "b.txt", mergedBytes, false);

    assertThat(h.resurrections(tree("b.txt", merged))).isEmpty();
  }

  /** What UserActions records of a user's write of {@code text} over {@code over} (null: nothing there). */
  private void made(String node, String text, String over) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    SeenFile now = new SeenFile(Sha256.of(bytes), false);
    h.text(now.content(), bytes);
    if (over != null) {
      h.removed("b.txt", file(over));
      h.editedFrom(now.content(), file(over).content());
    }
    h.made(node, "b.txt", now, "write");
  }

  @Test
  void aVersionNobodySawMustSurviveAtItsPathOrAsACopy() throws Exception {
    h.made("a", "x.md", file("mine"), "write");
    assertThat(h.lostWrites(tree("x.md", "other"))).hasSize(1);
    assertThat(h.lostWrites(tree("x.md.conflict-20260105-090000-abcdefg.bak", "mine"))).isEmpty();
  }

  @Test
  void overwritingWhatOneSeesSupersedesIt() throws Exception {
    h.made("a", "x.md", file("first"), "write");
    h.removed("x.md", file("first"));
    h.made("b", "x.md", file("second"), "write");
    assertThat(h.lostWrites(tree("x.md", "second"))).isEmpty();
    assertThat(h.resurrections(FolderTree.of(folder.root()))).isEmpty();
  }

  @Test
  void contentThatCameBackAfterBeingSupersededIsAResurrection() throws Exception {
    h.made("a", "x.md", file("first"), "write");
    h.removed("x.md", file("first"));
    assertThat(h.resurrections(tree("x.md", "first"))).singleElement().asString().startsWith("x.md");
  }

  @Test
  void deletingAConflictCopySupersedesTheVersionItKept() throws Exception {
    h.made("a", "x.md", file("kept"), "write");
    h.removed("x.md.conflict-20260105-090000-abcdefg.bak", file("kept"));
    assertThat(h.lostWrites(tree("x.md", "other"))).isEmpty();
  }

  @Test
  void whenWhatOneSawMatchesSeveralVersionsEachIsOnlyPossiblySuperseded() throws Exception {
    h.made("a", "e.md", file(""), "write");
    h.made("b", "e.md", file(""), "write");
    h.removed("e.md", file(""));
    // Neither must survive, and either may.
    assertThat(h.lostWrites(tree())).isEmpty();
    assertThat(h.resurrections(tree("e.md", ""))).isEmpty();
  }

  @Test
  void anEmptyFolderSomeoneRemovedMayComeBackOnlyForWhatWasMadeInIt() throws Exception {
    h.made("a", "d", new SeenFolder(), "mkdir");
    h.removed("d", new SeenFolder());
    Files.createDirectories(folder.root().resolve("d"));
    assertThat(h.resurrections(FolderTree.of(folder.root()))).hasSize(1);
    h.made("b", "d/new.md", file("new"), "write");
    assertThat(h.resurrections(FolderTree.of(folder.root()))).isEmpty();
  }

  @Test
  void onlyWrittenContentIsKnown() {
    h.made("a", "x.md", file("known"), "write");
    assertThat(h.isKnownContent(file("known").content())).isTrue();
    assertThat(h.isKnownContent(file("partial").content())).isFalse();
  }
}
