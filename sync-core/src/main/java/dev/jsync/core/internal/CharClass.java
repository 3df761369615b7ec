package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A bracket expression such as {@code [a-c]}, {@code [!0-9]} or {@code [[:upper:]_]}: matches one
 * character (code point) that is, or with {@code !}/{@code ^} is not, in the set.
 *
 * <p>Syntax, as in git: a {@code ]} right after the opening bracket (and optional negation) is a
 * member, not the end; {@code \} makes the next character a plain member; {@code x-y} is a range
 * unless the {@code -} comes first or last; {@code [:name:]} names a {@link PosixClass}.
 *
 * <p>Immutable and thread-safe.
 */
final class CharClass implements GlobToken {

  /** A parsed bracket expression and the index just after its closing {@code ]}. */
  record Parsed(CharClass charClass, int next) {}

  private final boolean negated;
  /** Inclusive ranges as pairs {@code ranges[2i]..ranges[2i+1]}; a member {@code c} is c..c. */
  private final int[] ranges;
  private final Set<PosixClass> named;

  private CharClass(boolean negated, int[] ranges, Set<PosixClass> named) {
    this.negated = negated;
    this.ranges = ranges;
    this.named = named;
  }

  /**
   * Parses the bracket expression whose {@code [} is at {@code open}.
   *
   * @return the expression, or {@code null} when it is malformed: no closing {@code ]}, a
   *     trailing {@code \}, or an unknown {@code [:name:]}. Git never matches such a pattern.
   */
  static Parsed parse(String p, int open) {
    int i = open + 1;
    boolean negated = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
    if (negated) {
      i++;
    }
    List<Integer> ranges = new ArrayList<>();
    Set<PosixClass> named = EnumSet.noneOf(PosixClass.class);
    boolean first = true;
    while (true) {
      if (i >= p.length()) {
        return null;
      }
      int c = p.codePointAt(i);
      if (c == ']' && !first) {
        int[] flat = ranges.stream().mapToInt(Integer::intValue).toArray();
        return new Parsed(new CharClass(negated, flat, named), i + 1);
      }
      first = false;
      if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
        int close = p.indexOf(']', i + 2);
        if (close < 0) {
          return null;
        }
        if (close - 1 >= i + 2 && p.charAt(close - 1) == ':') {
          var cls = PosixClass.named(p.substring(i + 2, close - 1));
          if (cls.isEmpty()) {
            return null;
          }
          named.add(cls.get());
          i = close + 1;
          continue;
        }
        // No ":]" before the next "]": the "[" is an ordinary member.
      }
      if (c == '\\') {
        i++;
        if (i >= p.length()) {
          return null;
        }
        c = p.codePointAt(i);
      }
      i += Character.charCount(c);
      int hi = c;
      if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        i++;
        hi = p.codePointAt(i);
        if (hi == '\\') {
          i++;
          if (i >= p.length()) {
            return null;
          }
          hi = p.codePointAt(i);
        }
        i += Character.charCount(hi);
      }
      ranges.add(c);
      ranges.add(hi);
    }
  }

  @Override
  public int matchAt(String s, int pos, int end) {
    if (pos >= end) {
      return NO_MATCH;
    }
    int cp = s.codePointAt(pos);
    return contains(cp) != negated ? pos + Character.charCount(cp) : NO_MATCH;
  }

  private boolean contains(int cp) {
    for (int i = 0; i < ranges.length; i += 2) {
      if (cp >= ranges[i] && cp <= ranges[i + 1]) {
        return true;
      }
    }
    for (PosixClass c : named) {
      if (c.contains(cp)) {
        return true;
      }
    }
    return false;
  }
}
