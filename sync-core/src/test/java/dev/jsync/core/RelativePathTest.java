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

  /**
   * Names that are the state folder or a temp file on a case-insensitive, normalising or
   * Windows file system are refused on every platform: a peer must not be able to write into
   * the state folder of a Mac or Windows node, nor a Linux node announce such a name to one.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      ".JSYNC", ".Jsync/index", ".jSync/device.p12", ".jsync.", ".jsync ", ".jsync. .", ".JSYNC./index",
      ".jsync\u200b/index", ".j\u017fync/x", ".jsync:stream", ".jsync::$INDEX_ALLOCATION/x", "JSYNC~1/index",
      "jsync~12", "a/.JSYNC-TMP-1", "a/.Jsync-tmp-x", ".jsync-TMP-", "d/.jsync-tmp-.", "d/.j\u017fync-tmp-1",
      "\uff41/.JSYNC-tmp-x"})
  void rejectsReservedNamesAsOtherFileSystemsMatchThem(String raw) {
    assertThatThrownBy(() -> RelativePath.of(raw)).isInstanceOf(InvalidRelativePathException.class)
        .hasMessageMatching(".*(state folder|temp file).*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sub/.JSYNC", "sub/.jsync.", ".jsyncx", ".jsync-tmp", "x.jsync-tmp-1", ".jsync~1",
      "jsync~", "jsync~1a", "a/JSYNC~1"})
  void namesThatOnlyLookReservedAreAccepted(String raw) {
    assertThat(RelativePath.isValid(raw)).isTrue();
  }

  @Test
  void resolveRefusesTempNamesInAnyCase() {
    assertThatThrownBy(() -> RelativePath.of("d").resolve(".JSYNC-tmp-1"))
        .isInstanceOf(InvalidRelativePathException.class).hasMessageContaining("temp file");
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
