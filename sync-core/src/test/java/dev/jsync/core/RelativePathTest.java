package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelativePathTest {

  @Test
  void normalisesSeparatorsAndUnicode() {
    // "e" + combining acute accent (NFD) becomes the precomposed "é" (NFC).
    RelativePath p = RelativePath.of("notes\\cafe\u0301.md");
    assertThat(p.toString()).isEqualTo("notes/caf\u00e9.md");
    assertThat(p).isEqualTo(RelativePath.of("notes/caf\u00e9.md"));
    assertThat(p.name()).isEqualTo("caf\u00e9.md");
    assertThat(p.parent()).contains(RelativePath.of("notes"));
    assertThat(p.depth()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "/etc/passwd", "C:evil", "c:/x", "\\\\server\\share", "a//b", "a/", "./a", "a/./b",
      "..", "a/../../b", "a\u0000b", "a\nb", "a\u007fb", ".jsync", ".jsync/index",
      "dir/.jsync-tmp-abc"})
  void rejectsHostilePaths(String raw) {
    assertThatThrownBy(() -> RelativePath.of(raw))
        .isInstanceOf(InvalidRelativePathException.class)
        .hasMessageStartingWith("invalid path");
  }

  @Test
  void errorNamesTheInputWithControlCharactersEscaped() {
    assertThatThrownBy(() -> RelativePath.of("a\u0000b"))
        .hasMessage("invalid path \"a\\u0000b\": contains control character U+0000");
  }

  @Test
  void stateFolderNameIsFineBelowTheRoot() {
    assertThat(RelativePath.of("sub/.jsync").toString()).isEqualTo("sub/.jsync");
  }

  @Test
  void rejectsOverlongNames() {
    String longName = "x".repeat(RelativePath.MAX_SEGMENT_BYTES + 1);
    assertThatThrownBy(() -> RelativePath.of(longName))
        .hasMessageContaining("longer than 255 bytes");
    assertThat(RelativePath.isValid("x".repeat(RelativePath.MAX_SEGMENT_BYTES))).isTrue();
  }

  @Test
  void containmentIsBySegmentNotByPrefix() {
    RelativePath dir = RelativePath.of("a/b");
    assertThat(dir.contains(RelativePath.of("a/b/c"))).isTrue();
    assertThat(dir.contains(RelativePath.of("a/b"))).isTrue();
    assertThat(dir.contains(RelativePath.of("a/bc"))).isFalse();
    assertThat(RelativePath.of("a/b/c").ancestors())
        .containsExactly(RelativePath.of("a"), RelativePath.of("a/b"));
  }
}
