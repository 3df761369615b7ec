package dev.jsync.core.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextMergeTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String merged(String base, String a, String b) {
    TextMerge.Outcome o = TextMerge.merge(utf8(base), utf8(a), utf8(b));
    assertThat(o).isInstanceOf(TextMerge.Merged.class);
    return new String(((TextMerge.Merged) o).bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void editsOfTheFirstAndLastParagraphsOfANoteAreBothKept() {
    String base = "# Plan\n\nFirst paragraph.\n\nMiddle.\n\nLast paragraph.\n";
    String laptop = "# Plan\n\nFirst paragraph, edited on the train.\n\nMiddle.\n\nLast paragraph.\n";
    String desktop = "# Plan\n\nFirst paragraph.\n\nMiddle.\n\nLast paragraph, with a link [[x]].\n";

    assertThat(merged(base, laptop, desktop)).isEqualTo(
        "# Plan\n\nFirst paragraph, edited on the train.\n\nMiddle.\n\nLast paragraph, with a link [[x]].\n");
  }

  @Test
  void twoDifferentEditsOfOneLineAreNotMerged() {
    assertThat(TextMerge.merge(utf8("a\nb\nc\n"), utf8("a\nB1\nc\n"), utf8("a\nB2\nc\n")))
        .isEqualTo(new TextMerge.Overlapping());
  }

  @Test
  void twoInsertionsAtTheSamePlaceAreNotMerged() {
    // Which goes first is a choice only a person can make.
    assertThat(TextMerge.merge(utf8("a\nb\n"), utf8("a\nx\nb\n"), utf8("a\ny\nb\n")))
        .isEqualTo(new TextMerge.Overlapping());
  }

  @Test
  void aLastLineWithoutANewlineIsKeptAsItIs() {
    assertThat(merged("a\nb\nc", "A\nb\nc", "a\nb\nc plus")).isEqualTo("A\nb\nc plus");
    // adding a line after an unterminated last line changes that line (it gains its newline)
    assertThat(merged("a\nb\nc", "A\nb\nc", "a\nb\nc\nd")).isEqualTo("A\nb\nc\nd");
  }

  @Test
  void crlfNotesMergeAndKeepTheirEndings() {
    assertThat(merged("a\r\nb\r\nc\r\nd\r\n", "A\r\nb\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD\r\n"))
        .isEqualTo("A\r\nb\r\nc\r\nD\r\n");
  }

  @Test
  void sidesThatDisagreeOnLineEndingsAreNotMerged() {
    assertThat(TextMerge.merge(utf8("a\nb\nc\n"), utf8("A\nb\nc\n"), utf8("a\r\nb\r\nC\r\n")))
        .isInstanceOf(TextMerge.NotText.class);
    assertThat(TextMerge.merge(utf8("a\nb\r\nc\n"), utf8("A\nb\r\nc\n"), utf8("a\nb\r\nC\n")))
        .isInstanceOf(TextMerge.NotText.class);
  }

  @Test
  void invalidUtf8AndBinaryAreNotMerged() {
    byte[] latin1 = "caf\u00e9\nb\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(TextMerge.merge(utf8("cafe\nb\n"), latin1, utf8("cafe\nB\n")))
        .isEqualTo(new TextMerge.NotText("a version is not valid UTF-8"));
    assertThat(TextMerge.merge(utf8("a\n"), new byte[] {'a', 0, '\n'}, utf8("a\nb\n")))
        .isInstanceOf(TextMerge.NotText.class);
  }

  @Test
  void unicodeTextMerges() {
    assertThat(merged("Zürich\n\n東京\n\nend\n", "Zürich 🚆\n\n東京\n\nend\n", "Zürich\n\n東京\n\nend ✓\n"))
        .isEqualTo("Zürich 🚆\n\n東京\n\nend ✓\n");
  }

  @Test
  void aDeleteOfOneParagraphAndAnEditOfAnotherMerge() {
    assertThat(merged("one\n\ntwo\n\nthree\n\nfour\n", "one\n\nthree\n\nfour\n", "one\n\ntwo\n\nthree\n\nfour!\n"))
        .isEqualTo("one\n\nthree\n\nfour!\n");
  }

  @Test
  void editsOfNeighbouringLinesAreNotMerged() {
    // No unchanged line between the two changes: whether they belong together is not clear.
    assertThat(TextMerge.merge(utf8("one\ntwo\nthree\n"), utf8("one\nthree\n"), utf8("one\ntwo\nthree!\n")))
        .isEqualTo(new TextMerge.Overlapping());
  }

  @Test
  void mergeableFilesByExtensionAndSize() {
    MergeableFiles d = MergeableFiles.defaults();
    assertThat(d.accepts(RelativePath.of("notes/x.md"), 100)).isTrue();
    assertThat(d.accepts(RelativePath.of("notes/X.MD"), 100)).isTrue();
    assertThat(d.accepts(RelativePath.of("todo.txt"), MergeableFiles.DEFAULT_MAX_BYTES)).isTrue();
    assertThat(d.accepts(RelativePath.of("todo.txt"), MergeableFiles.DEFAULT_MAX_BYTES + 1)).isFalse();
    assertThat(d.accepts(RelativePath.of("img/a.png"), 10)).isFalse();
    assertThat(d.accepts(RelativePath.of(".md"), 10)).isFalse();
    assertThat(d.accepts(RelativePath.of("md"), 10)).isFalse();
    assertThat(MergeableFiles.none().accepts(RelativePath.of("x.md"), 1)).isFalse();

    MergeableFiles org = MergeableFiles.parse(" .org, md ");
    assertThat(org.extensions()).containsExactlyInAnyOrder("org", "md");
    assertThat(org.accepts(RelativePath.of("agenda.org"), 1)).isTrue();
    assertThat(org.accepts(RelativePath.of("x.txt"), 1)).isFalse();
    assertThat(MergeableFiles.parse("NONE")).isEqualTo(MergeableFiles.none());
    assertThatThrownBy(() -> MergeableFiles.parse("md,,txt")).hasMessageContaining("not a file extension");
    assertThatThrownBy(() -> MergeableFiles.parse("")).hasMessageContaining("no extensions");
    assertThatThrownBy(() -> MergeableFiles.of(Set.of("tar.gz"), 1)).hasMessageContaining("not a file extension");
  }
}
