package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Corners of the pattern syntax, checked on raw path strings without any default rule. */
class GlobSyntaxTest {

  private static boolean ignores(String pattern, String path) {
    return IgnoreMatcher.compile(List.of(), List.of(pattern)).isIgnored(path, false);
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "[]]|]|true",
      "[]]|a|false",
      "[!]]|a|true",
      "[!]]|]|false",
      "[a-]|-|true",
      "[-a]|-|true",
      "[a-c-e]|-|true",
      "[a-c-e]|d|false",
      "[a-c-e]|e|true",
      "[\\]]|]|true",
      "[\\-a]|-|true",
      "[z-a]|m|false",
      "[[:]|[|true",
      "[[:]|:|true",
      "[[:upper:]_]|Q|true",
      "[[:upper:]_]|_|true",
      "[[:upper:]_]|q|false",
      "[[:alpha:]]|\u00e9|false",
      "[[:xdigit:]][[:xdigit:]]|fA|true",
      "[[:space:][:punct:]]|!|true",
      "[\u00e0-\u00e4]|\u00e2|true",
      "[\ud83d\ude00-\ud83d\ude4f]|\ud83d\ude03|true",
      "a[bc]d|abd|true",
      "a[!bc]d|aad|true",
      "a[!bc]d|abd|false"})
  void bracketExpressions(String pattern, String path, boolean ignored) {
    assertThat(ignores(pattern, path)).isEqualTo(ignored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[abc", "a[", "[!", "[]", "[[:alpha:]", "[[:nope:]]", "[[::]]", "abc\\",
      "[a-\\", "/", "!", "!/"})
  void malformedOrEmptyPatternsMatchNothing(String pattern) {
    for (String path : List.of("a", "abc", "[abc", "a[", "[", "abc\\", "x/abc")) {
      assertThat(ignores(pattern, path)).as("%s ~ %s", pattern, path).isFalse();
    }
  }

  @Test
  void escapedSlashSeparatesAndAnchors() {
    assertThat(ignores("a\\/b", "a/b")).isTrue();
    assertThat(ignores("a\\/b", "x/a/b")).isFalse();
  }

  @Test
  void slashInsideBracketsAnchorsButNeverMatches() {
    assertThat(ignores("x[a/]y", "xay")).isTrue();
    assertThat(ignores("x[a/]y", "q/xay")).isFalse();
    assertThat(ignores("x[a/]y", "x/y")).isFalse();
  }

  @Test
  void starsBacktrack() {
    assertThat(ignores("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaab")).isTrue();
    assertThat(ignores("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaa")).isFalse();
    assertThat(ignores("/**/a/**/a/**/b", "a/a/x/a/a/y/b")).isTrue();
    assertThat(ignores("/**/a/**/a/**/b", "a/a/x/a/a/y/c")).isFalse();
  }

  @Test
  void reservedLinesMustBePositive() {
    assertThatThrownBy(() -> IgnoreMatcher.compile(List.of("!x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IgnoreMatcher.compile(List.of("[x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
