package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnoreFileTextTest {

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "a|a",
      "\"a  \"|a",
      "\"a\\ \"|\"a\\ \"",
      "\"a\\  \"|\"a\\ \"",
      "\"a \\\"|\"a \\\"",
      "\"a\t\"|\"a\t\"",
      "\"   \"|\"\"",
      "\" a b \"|\" a b\""})
  void trailingSpacesGoUnlessEscaped(String line, String trimmed) {
    assertThat(IgnoreFileText.trimTrailingSpaces(line)).isEqualTo(trimmed);
  }

  @Test
  void keepsOnlyPatternLines() {
    String text = "\uFEFF#comment\r\n  # not a comment\r\n\r\n \t\n\n\\#hash\nlast-line-no-newline";
    assertThat(IgnoreFileText.patternLines(text))
        .containsExactly("  # not a comment", " \t", "\\#hash", "last-line-no-newline");
  }

  @Test
  void onlyALineEndingCarriageReturnIsRemoved() {
    assertThat(IgnoreFileText.patternLines("a\r\r\nb\rc")).containsExactly("a\r", "b\rc");
  }
}
