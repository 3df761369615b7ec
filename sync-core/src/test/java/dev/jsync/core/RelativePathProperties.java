package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RelativePathProperties {

  /** Safe names: letters (some non-ASCII, some decomposed), digits, dots, spaces, dashes. */
  @Provide
  Arbitrary<String> validPaths() {
    Arbitrary<String> name = Arbitraries.of("a", "b", "X", "0", " ", "-", "_", ".", "\u00e9", "\u0301", "\u4e2d",
            "\ud83d\ude00")
        .list().ofMinSize(1).ofMaxSize(10).map(cs -> String.join("", cs))
        .filter(s -> !s.equals(".") && !s.equals("..") && !s.startsWith("\u0301"));
    return name.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("/", parts))
        .filter(s -> !s.equals(RelativePath.STATE_DIR_NAME) && !s.startsWith(RelativePath.STATE_DIR_NAME + "/"));
  }

  /** A valid path with one hostile element spliced in. */
  @Provide
  Arbitrary<String> hostilePaths() {
    Arbitrary<String> poison = Arbitraries.of(
        "..", ".", "", "\u0000", "\n", "\u001f", "\u007f", "\ud83d", "\ude00", RelativePath.TEMP_PREFIX + "x");
    Arbitrary<String> prefix = Arbitraries.of("/", "\\", "C:", "z:\\");
    Arbitrary<String> spliced = Combinators.combine(validPaths(), poison, Arbitraries.integers().between(0, 5))
        .as((valid, bad, at) -> {
          List<String> parts = new java.util.ArrayList<>(List.of(valid.split("/")));
          int i = Math.min(at, parts.size());
          parts.add(i, bad.equals("\u0000") || bad.equals("\n") || bad.equals("\u001f") || bad.equals("\u007f")
              ? "a" + bad + "b" : bad);
          return String.join("/", parts);
        });
    Arbitrary<String> absolute = Combinators.combine(prefix, validPaths()).as(String::concat);
    Arbitrary<String> state = validPaths().map(v -> RelativePath.STATE_DIR_NAME + "/" + v);
    return Arbitraries.oneOf(spliced, absolute, state);
  }

  @Property
  void acceptsEveryValidPathAndIsStableUnderNormalisation(@ForAll("validPaths") String raw) {
    RelativePath p = RelativePath.of(raw);
    assertThat(RelativePath.of(p.toString())).isEqualTo(p);
    assertThat(p.toString()).isEqualTo(java.text.Normalizer.normalize(raw, java.text.Normalizer.Form.NFC));
    assertThat(String.join("/", p.segments())).isEqualTo(p.toString());
  }

  /** The length limits count UTF-8 bytes without encoding: the count must be the encoder's. */
  @Property
  void utf8LengthIsTheEncodedLength(@ForAll("validPaths") String path,
      @ForAll("utf8Samples") String extra) {
    String s = path + extra;
    assertThat(RelativePath.utf8Length(s)).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  /** One to four UTF-8 bytes a character: ASCII, Latin, CJK and a surrogate pair, at the edges. */
  @Provide
  Arbitrary<String> utf8Samples() {
    return Arbitraries.of("", "a", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\ud800\udc00",
            "\udbff\udfff", "\u00e9", "\u4e2d", "\ud83d\ude00")
        .list().ofMaxSize(6).map(cs -> String.join("", cs));
  }

  /** Names as a directory listing hands them over: mostly plain ASCII, some hostile or odd. */
  @Provide
  Arbitrary<String> childNames() {
    Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> odd = Arbitraries.of(".", "..", "", "a/b", "a\\b", "\u00e9", "e\u0301", "\u0301x", "\u0000",
        "\t", RelativePath.TEMP_PREFIX + "1", RelativePath.STATE_DIR_NAME, "x".repeat(255), "x".repeat(256),
        "\u00e9".repeat(128));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, plain), net.jqwik.api.Tuple.of(1, odd));
  }

  @Property
  void resolveIsOfTheJoinedPath(@ForAll("validPaths") String parentRaw, @ForAll("childNames") String child,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 25) int longSegments) {
    // Up to ~5,000 bytes of 200-byte segments in front: some parents sit near the path limit.
    String padded = ("p".repeat(199) + "/").repeat(longSegments > 15 ? longSegments : 0) + parentRaw;
    net.jqwik.api.Assume.that(RelativePath.isValid(padded));
    RelativePath parent = RelativePath.of(padded);
    RelativePath expected;
    try {
      expected = RelativePath.of(parent + "/" + child);
    } catch (InvalidRelativePathException e) {
      assertThatThrownBy(() -> parent.resolve(child)).isInstanceOf(InvalidRelativePathException.class)
          .hasMessage(e.getMessage());
      return;
    }
    RelativePath got = parent.resolve(child);
    assertThat(got).isEqualTo(expected);
    assertThat(got.segments()).isEqualTo(expected.segments());
    assertThat(got.depth()).isEqualTo(expected.depth());
    assertThat(got.name()).isEqualTo(expected.name());
    assertThat(got.parent()).isEqualTo(expected.parent());
  }

  @Property
  void rejectsEveryHostilePath(@ForAll("hostilePaths") String raw) {
    assertThatThrownBy(() -> RelativePath.of(raw)).isInstanceOf(InvalidRelativePathException.class);
  }

  @Property
  void anAcceptedPathResolvesInsideTheFolder(@ForAll("validPaths") String raw) {
    Path root = Path.of("/srv/folder");
    Path resolved = root.resolve(RelativePath.of(raw).toString()).normalize();
    assertThat(resolved.startsWith(root)).isTrue();
    assertThat(resolved).isNotEqualTo(root);
  }

  /**
   * Names built around jSync's reserved names the way a hostile peer would disguise them: any
   * mix of cases, the long s ({@code ſ}, which folds to {@code s}), zero-width characters,
   * decomposed accents, trailing dots and spaces, and suffixes; plus near misses.
   */
  @Provide
  Arbitrary<String> disguisedNames() {
    Arbitrary<String> base = Arbitraries.of(RelativePath.STATE_DIR_NAME, RelativePath.TEMP_PREFIX, "jsync~", ".jsyn",
        "jsync", ".jsync-tmp");
    Arbitrary<List<Integer>> edits = Arbitraries.integers().between(0, 5).list().ofMaxSize(12);
    Arbitrary<String> tail = Arbitraries.of("", "", ".", " ", ". ", "  ..", "1", "12", "x", "e\u0301", "\u200b", "-", "~1")
        .list().ofMaxSize(3).map(l -> String.join("", l));
    return Combinators.combine(base, edits, tail).as((b, e, t) -> {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < b.length(); i++) {
        char c = b.charAt(i);
        int edit = i < e.size() ? e.get(i) : 0;
        switch (edit) {
          case 1 -> out.append(Character.toUpperCase(c));
          case 2 -> out.append(c == 's' ? '\u017f' : Character.toUpperCase(c));
          case 3 -> out.append(c).append('\u200b');
          default -> out.append(c);
        }
      }
      return out + t;
    }).filter(n -> !n.equals(".") && !n.equals(".."));
  }

  /** The reserved-name rule, written independently: fold as APFS/NTFS would, then compare. */
  private static boolean reservedOracle(String name, boolean atRoot) {
    String f = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC).replaceAll("\\p{Cf}", "");
    f = f.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
    f = java.text.Normalizer.normalize(f, java.text.Normalizer.Form.NFC).replaceAll("[. ]+$", "");
    return f.startsWith(".jsync-tmp-") || (atRoot && (f.equals(".jsync") || f.matches("jsync~[0-9]+")));
  }

  @Property
  void aNameIsRefusedExactlyWhenAFoldingFileSystemWouldTakeItForJsyncs(@ForAll("disguisedNames") String name,
      @ForAll("validPaths") String below) {
    assertThat(RelativePath.isValid(name)).as("at the root").isEqualTo(!reservedOracle(name, true));
    assertThat(RelativePath.isValid(name + "/" + below)).as("as a folder at the root")
        .isEqualTo(!reservedOracle(name, true));
    assertThat(RelativePath.isValid("sub/" + name)).as("below the root").isEqualTo(!reservedOracle(name, false));
  }

  @Property
  void resolveRefusesWhatOfRefuses(@ForAll("disguisedNames") String name) {
    RelativePath parent = RelativePath.of("sub");
    if (reservedOracle(name, false)) {
      assertThatThrownBy(() -> parent.resolve(name)).isInstanceOf(InvalidRelativePathException.class);
    } else {
      assertThat(parent.resolve(name)).isEqualTo(RelativePath.of("sub/" + name));
    }
  }
}
