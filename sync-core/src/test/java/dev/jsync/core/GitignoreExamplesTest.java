package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gitignore semantics jSync follows, one example per case; {@code docs/ignoring.md} quotes
 * these. Every case uses {@link IgnoreRules#parse} and none of the names touches a default rule,
 * so each outcome is the user's pattern alone.
 */
class GitignoreExamplesTest {

  /** One example: the {@code .jsyncignore} text, a path, its kind and the expected outcome. */
  record Example(String rules, String path, boolean directory, boolean ignored) {
    @Override
    public String toString() {
      String lines = rules.replace("\n", " \u23ce ");
      String kind = directory ? "/" : "";
      return "%s  ~  %s%s -> %s".formatted(lines, path, kind, ignored ? "ignored" : "kept");
    }
  }

  static Example ignoresFile(String rules, String path) {
    return new Example(rules, path, false, true);
  }

  static Example keepsFile(String rules, String path) {
    return new Example(rules, path, false, false);
  }

  static Example ignoresDir(String rules, String path) {
    return new Example(rules, path, true, true);
  }

  static Example keepsDir(String rules, String path) {
    return new Example(rules, path, true, false);
  }

  static Stream<Example> anchoringAndFolders() {
    return Stream.of(
        // No slash but a trailing one: a folder of that name at any depth, never a file.
        ignoresDir("frotz/", "frotz"),
        ignoresDir("frotz/", "a/frotz"),
        keepsFile("frotz/", "a/frotz"),
        // A slash in the middle anchors to the root.
        ignoresDir("doc/frotz/", "doc/frotz"),
        keepsDir("doc/frotz/", "a/doc/frotz"),
        keepsFile("doc/frotz/", "doc/frotz"),
        ignoresFile("doc/frotz", "doc/frotz"),
        keepsFile("doc/frotz", "x/doc/frotz"),
        // A leading slash anchors to the root; without it the name matches at any depth.
        ignoresFile("/bar", "bar"),
        keepsFile("/bar", "a/bar"),
        ignoresFile("bar", "bar"),
        ignoresFile("bar", "a/b/bar"),
        ignoresDir("bar", "a/bar"),
        keepsFile("bar", "bar.txt"));
  }

  static Stream<Example> wildcards() {
    return Stream.of(
        ignoresFile("foo/*", "foo/bar"),
        ignoresDir("foo/*", "foo/bar"),
        keepsFile("foo/*", "foo/bar/baz"),
        keepsDir("foo/*", "foo"),
        ignoresFile("*.log", "a.log"),
        ignoresFile("*.log", "x/y/a.log"),
        ignoresFile("*.log", ".log"),
        keepsFile("*.log", "a.log.txt"),
        ignoresFile("*", "anything"),
        ignoresFile("*", "x/y"),
        ignoresFile("a*b*c", "aXbYc"),
        ignoresFile("a*b*c", "abbc"),
        keepsFile("a*b*c", "acb"),
        keepsFile("f*o", "f/o"),
        ignoresFile("?.txt", "a.txt"),
        keepsFile("?.txt", "ab.txt"),
        keepsFile("?.txt", ".txt"),
        // "?" is one character even outside the Basic Multilingual Plane.
        ignoresFile("?.txt", "\u00e9.txt"),
        ignoresFile("?.txt", "\ud83d\ude00.txt"));
  }

  static Stream<Example> doubleStars() {
    return Stream.of(
        ignoresFile("**/foo", "foo"),
        ignoresFile("**/foo", "a/foo"),
        ignoresFile("**/foo", "a/b/foo"),
        ignoresFile("**/foo/bar", "foo/bar"),
        ignoresFile("**/foo/bar", "x/y/foo/bar"),
        keepsFile("**/foo/bar", "foo/x/bar"),
        ignoresFile("abc/**", "abc/x"),
        ignoresFile("abc/**", "abc/x/y"),
        keepsDir("abc/**", "abc"),
        keepsFile("abc/**", "x/abc/y"),
        ignoresFile("a/**/b", "a/b"),
        ignoresFile("a/**/b", "a/x/b"),
        ignoresFile("a/**/b", "a/x/y/b"),
        keepsFile("a/**/b", "a/x/c"),
        keepsFile("a/**/b", "x/a/b"),
        ignoresFile("a/**/**/b", "a/b"),
        // "**" that is not a whole segment is an ordinary star.
        ignoresFile("a**b", "axxb"),
        keepsFile("a**b", "a/x/b"),
        ignoresFile("**", "x/y/z"));
  }

  static Stream<Example> negation() {
    return Stream.of(
        keepsFile("*.log\n!important.log", "important.log"),
        keepsFile("*.log\n!important.log", "x/important.log"),
        ignoresFile("*.log\n!important.log", "debug.log"),
        // The last matching line wins, so the order matters.
        ignoresFile("!important.log\n*.log", "important.log"),
        keepsDir("build/\n!build/", "build"),
        // Ignore everything except Markdown, in any folder.
        keepsDir("*\n!*/\n!*.md", "notes"),
        keepsFile("*\n!*/\n!*.md", "notes/a.md"),
        ignoresFile("*\n!*/\n!*.md", "notes/a.png"));
  }

  static Stream<Example> escapesAndSpaces() {
    return Stream.of(
        ignoresFile("\\#file", "#file"),
        keepsFile("#file", "#file"),
        ignoresFile("\\!important", "!important"),
        ignoresFile("\\*", "*"),
        keepsFile("\\*", "a"),
        ignoresFile("a\\?", "a?"),
        keepsFile("a\\?", "ab"),
        ignoresFile("trailing   ", "trailing"),
        ignoresFile("trailing\\ ", "trailing "),
        keepsFile("trailing\\ ", "trailing"),
        ignoresFile(" leading", " leading"),
        keepsFile(" leading", "leading"));
  }

  static Stream<Example> characterClasses() {
    return Stream.of(
        ignoresFile("[a-c].txt", "a.txt"),
        ignoresFile("[a-c].txt", "c.txt"),
        keepsFile("[a-c].txt", "d.txt"),
        ignoresFile("[!a-c].txt", "d.txt"),
        keepsFile("[!a-c].txt", "b.txt"),
        ignoresFile("[^a-c].txt", "d.txt"),
        ignoresFile("file[0-9][0-9]", "file42"),
        keepsFile("file[0-9][0-9]", "file4x"),
        ignoresFile("[]x]", "]"),
        ignoresFile("[]x]", "x"),
        ignoresFile("[[:digit:]]*", "1abc"),
        keepsFile("[[:digit:]]*", "abc1"),
        ignoresFile("\\[abc", "[abc"),
        // Malformed: an unterminated bracket never matches, as in git.
        keepsFile("[abc", "[abc"),
        keepsFile("[abc", "a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"anchoringAndFolders", "wildcards", "doubleStars", "negation", "escapesAndSpaces",
      "characterClasses"})
  void pathOnItsOwn(Example e) {
    IgnoreRules rules = IgnoreRules.parse(e.rules());
    assertThat(rules.isIgnored(RelativePath.of(e.path()), e.directory())).isEqualTo(e.ignored());
  }

  /** Outcomes once the folders above the path are taken into account. */
  static Stream<Example> withAncestors() {
    return Stream.of(
        // A folder's contents cannot be re-included once the folder itself is excluded...
        ignoresFile("logs/\n!logs/keep.txt", "logs/keep.txt"),
        // ...but excluding only the contents leaves room for exceptions.
        keepsFile("/logs/*\n!/logs/keep.txt", "logs/keep.txt"),
        ignoresFile("/logs/*\n!/logs/keep.txt", "logs/other.txt"),
        // foo/bar is matched by foo/*, and foo/bar/baz lies inside it.
        ignoresFile("foo/*", "foo/bar/baz"),
        ignoresFile("frotz/", "a/frotz/b/c.txt"),
        keepsFile("frotz/", "a/frotzz/c.txt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withAncestors")
  void pathWithItsFolders(Example e) {
    IgnoreRules rules = IgnoreRules.parse(e.rules());
    assertThat(rules.isIgnoredWithAncestors(RelativePath.of(e.path()), e.directory()))
        .isEqualTo(e.ignored());
  }

  @Test
  void reincludedFileIsKeptOnItsOwnButNotInsideAnExcludedFolder() {
    IgnoreRules rules = IgnoreRules.parse("logs/\n!logs/keep.txt");
    RelativePath keep = RelativePath.of("logs/keep.txt");
    assertThat(rules.isIgnored(keep, false)).isFalse();
    assertThat(rules.isIgnoredWithAncestors(keep, false)).isTrue();
  }
}
