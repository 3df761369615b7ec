package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IgnoreRulesProperties {

  /** A pattern that is a plain name ignores exactly the paths that end in that name. */
  @Property
  void plainNameMatchesThatLastSegmentAtAnyDepth(
      @ForAll("plainNames") String name, @ForAll("pathsEndingSometimesIn") PathAndName sample,
      @ForAll boolean isDirectory) {
    RelativePath path = sample.pathEndingIn(name);
    boolean expected = path.name().equals(name)
        || IgnoreRules.defaults().isIgnored(path, isDirectory);
    assertThat(IgnoreRules.parse(name).isIgnored(path, isDirectory)).isEqualTo(expected);
  }

  /** Nothing inside an ignored folder can come back, whatever the rules. */
  @Property
  void everythingInsideAnIgnoredFolderIsIgnored(
      @ForAll("ruleFiles") String rulesText, @ForAll("smallPaths") RelativePath path,
      @ForAll boolean isDirectory) {
    IgnoreRules rules = IgnoreRules.parse(rulesText);
    boolean someFolderAboveIgnored =
        path.ancestors().stream().anyMatch(folder -> rules.isIgnored(folder, true));
    assertThat(rules.isIgnoredWithAncestors(path, isDirectory))
        .isEqualTo(someFolderAboveIgnored || rules.isIgnored(path, isDirectory));
  }

  /** Folder segments plus a last segment that is either random or the pattern's name. */
  record PathAndName(List<String> folders, String last, boolean useName) {
    RelativePath pathEndingIn(String name) {
      String tail = useName ? name : last;
      return RelativePath.of(folders.isEmpty() ? tail : String.join("/", folders) + "/" + tail);
    }
  }

  @Provide
  Arbitrary<String> plainNames() {
    return Arbitraries.strings()
        .withChars("abcXYZ019._-\u00e9 ")
        .ofMinLength(1).ofMaxLength(10)
        .filter(n -> !n.endsWith(" ") && !n.startsWith(".jsync") && RelativePath.isValid(n));
  }

  @Provide
  Arbitrary<PathAndName> pathsEndingSometimesIn() {
    return Combinators.combine(
            plainNames().filter(n -> !n.equals(RelativePath.STATE_DIR_NAME)).list().ofMaxSize(3),
            plainNames(),
            Arbitraries.of(true, false))
        .as(PathAndName::new);
  }

  /** Up to four lines built from a few names and every wildcard, so that matches are common. */
  @Provide
  Arbitrary<String> ruleFiles() {
    Arbitrary<String> segment =
        Arbitraries.of("a", "b", "ab", "*", "?", "**", "[ab]", "[!a]", "a*");
    Arbitrary<String> line = Combinators.combine(
            Arbitraries.of("", "!"), Arbitraries.of("", "/"),
            segment.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of("", "/"))
        .as((neg, lead, segs, trail) -> neg + lead + String.join("/", segs) + trail);
    return line.list().ofMinSize(1).ofMaxSize(4).map(lines -> String.join("\n", lines));
  }

  @Provide
  Arbitrary<RelativePath> smallPaths() {
    return Arbitraries.of("a", "b", "ab", "ba", "c").list().ofMinSize(1).ofMaxSize(5)
        .map(segments -> RelativePath.of(String.join("/", segments)));
  }
}
