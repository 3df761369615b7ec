package dev.jsync.core.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the three-way line merge. A base note of distinct lines is edited by two sides;
 * each side's edit replaces a run of the base's lines (possibly none: an insertion; possibly by
 * nothing: a deletion) with lines of its own.
 */
class TextMergeProperties {

  /** One side's edit: base lines [from, to) replaced by {@code lines}. */
  record Edit(int from, int to, List<String> lines) {
    List<String> applyTo(List<String> base) {
      List<String> out = new ArrayList<>(base.subList(0, from));
      out.addAll(lines);
      out.addAll(base.subList(to, base.size()));
      return out;
    }
  }

  record Case(List<String> base, Edit a, Edit b) {}

  @Provide
  Arbitrary<Case> separatedEdits() {
    // Side a edits within the first part, side b within the rest, with at least one untouched
    // base line between them.
    return Arbitraries.integers().between(3, 40).flatMap(n -> {
      List<String> base = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        base.add("base line " + i + "\n");
      }
      return Arbitraries.integers().between(1, n - 2).flatMap(split -> {
        Arbitrary<Edit> a = edit("a", 0, split - 1);
        Arbitrary<Edit> b = edit("b", split + 1, n);
        return Combinators.combine(a, b).as((x, y) -> new Case(base, x, y));
      });
    });
  }

  private static Arbitrary<Edit> edit(String side, int lo, int hi) {
    return Arbitraries.integers().between(lo, hi).flatMap(from ->
        Arbitraries.integers().between(from, hi).flatMap(to ->
            Arbitraries.integers().between(to == from ? 1 : 0, 4).map(k -> {
              List<String> lines = new ArrayList<>();
              for (int i = 0; i < k; i++) {
                lines.add(side + "'s line " + i + " at " + from + "\n");
              }
              return new Edit(from, to, lines);
            })));
  }

  @Property
  void editsThatDoNotTouchAreBothInTheResultAndNothingElseChanges(@ForAll("separatedEdits") Case c) {
    // b's edit lies after a's: applied after a's, its indexes move by a's change in size
    int delta = c.a().lines().size() - (c.a().to() - c.a().from());
    List<String> expected = new Edit(c.b().from() + delta, c.b().to() + delta, c.b().lines())
        .applyTo(c.a().applyTo(c.base()));

    TextMerge.Outcome merged = TextMerge.merge(text(c.base()), text(c.a().applyTo(c.base())), text(c.b().applyTo(c.base())));

    assertThat(merged).isEqualTo(new TextMerge.Merged(text(expected)));
  }

  @Property
  void theResultDoesNotDependOnWhichSideIsWhich(@ForAll("separatedEdits") Case c, @ForAll boolean overlap) {
    byte[] base = text(c.base());
    byte[] a = text(c.a().applyTo(c.base()));
    Edit bEdit = overlap ? new Edit(c.a().from(), c.a().to(), List.of("b's own take\n")) : c.b();
    byte[] b = text(bEdit.applyTo(c.base()));

    assertThat(TextMerge.merge(base, a, b)).isEqualTo(TextMerge.merge(base, b, a));
  }

  @Property
  void mergingTheMergeWithEitherSideChangesNothing(@ForAll("separatedEdits") Case c) {
    byte[] base = text(c.base());
    byte[] a = text(c.a().applyTo(c.base()));
    byte[] b = text(c.b().applyTo(c.base()));
    TextMerge.Merged m = (TextMerge.Merged) TextMerge.merge(base, a, b);

    assertThat(TextMerge.merge(base, m.bytes(), a)).isEqualTo(m);
    assertThat(TextMerge.merge(base, m.bytes(), b)).isEqualTo(m);
  }

  @Property
  void differentChangesOfTheSameLinesAreNeverMerged(@ForAll("separatedEdits") Case c) {
    byte[] base = text(c.base());
    Edit a = c.a();
    List<String> other = new ArrayList<>();
    for (String line : a.lines()) {
      other.add("other " + line);
    }
    if (other.isEmpty()) {
      other.add("a different replacement\n"); // a deletion against a replacement of the same lines
    }
    Edit b = new Edit(a.from(), a.to(), other);

    assertThat(TextMerge.merge(base, text(a.applyTo(c.base())), text(b.applyTo(c.base()))))
        .isEqualTo(new TextMerge.Overlapping());
  }

  @Property
  void theSameChangeOnBothSidesCountsOnce(@ForAll("separatedEdits") Case c) {
    byte[] base = text(c.base());
    byte[] a = text(c.a().applyTo(c.base()));

    assertThat(TextMerge.merge(base, a, a.clone())).isEqualTo(new TextMerge.Merged(a));
  }

  static byte[] text(List<String> lines) {
    return String.join("", lines).getBytes(StandardCharsets.UTF_8);
  }
}
