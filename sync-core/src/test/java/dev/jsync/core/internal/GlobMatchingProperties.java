package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The hand-written matcher against an independent model: each pattern is also translated into a
 * {@link java.util.regex.Pattern} over {@code "/" + path}, and both must agree.
 */
class GlobMatchingProperties {

  /** Tokens of one pattern segment, each with its regex for a character that is not "/". */
  private static final List<String[]> TOKENS = List.of(
      new String[] {"a", "a"},
      new String[] {"b", "b"},
      new String[] {"*", "[^/]*"},
      new String[] {"?", "[^/]"},
      new String[] {"[ab]", "[ab]"},
      new String[] {"[!a]", "[^a/]"});

  @Property
  void anchoredPatternsAgreeWithTheRegexModel(
      @ForAll("patternSegments") List<List<String[]>> segments,
      @ForAll("paths") String path) {
    StringBuilder glob = new StringBuilder();
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      List<String[]> segment = segments.get(i);
      glob.append('/');
      if (isDoubleStar(segment)) {
        glob.append("*".repeat(segment.size()));
        // Zero or more segments, except at the end where at least one is needed.
        regex.append(i == segments.size() - 1 ? "(?:/[^/]+)+" : "(?:/[^/]+)*");
      } else {
        regex.append('/');
        for (String[] token : segment) {
          glob.append(token[0]);
          regex.append(token[1]);
        }
      }
    }
    boolean expected = Pattern.matches(regex.toString(), "/" + path);
    IgnoreMatcher matcher = IgnoreMatcher.compile(List.of(), List.of(glob.toString()));
    assertThat(matcher.isIgnored(path, false)).as("%s ~ %s", glob, path).isEqualTo(expected);
  }

  @Property
  void unanchoredPatternsMatchTheLastSegment(
      @ForAll("segment") List<String[]> segment, @ForAll("paths") String path) {
    StringBuilder glob = new StringBuilder();
    StringBuilder regex = new StringBuilder();
    for (String[] token : segment) {
      glob.append(token[0]);
      regex.append(token[1]);
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    boolean expected = Pattern.matches(regex.toString(), last);
    IgnoreMatcher matcher = IgnoreMatcher.compile(List.of(), List.of(glob.toString()));
    assertThat(matcher.isIgnored(path, false)).as("%s ~ %s", glob, path).isEqualTo(expected);
  }

  private static boolean isDoubleStar(List<String[]> segment) {
    return segment.size() >= 2 && segment.stream().allMatch(t -> t[0].equals("*"));
  }

  @Provide
  Arbitrary<List<String[]>> segment() {
    return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<List<String[]>>> patternSegments() {
    Arbitrary<List<String[]>> doubleStar = Arbitraries.just(List.of(TOKENS.get(2), TOKENS.get(2)));
    return Arbitraries.frequencyOf(
            Tuple.of(3, segment()), Tuple.of(1, doubleStar))
        .list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("a", "b", "c", "ab", "ba", "aab", "bc")
        .list().ofMinSize(1).ofMaxSize(5)
        .map(segments -> String.join("/", segments));
  }
}
