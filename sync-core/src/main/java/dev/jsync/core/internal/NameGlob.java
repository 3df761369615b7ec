package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob over one path segment: literal text, {@code ?}, {@code *} and bracket expressions,
 * none of which ever matches a {@code /}.
 *
 * <p>The common shapes ({@code name}, {@code *.ext}, {@code prefix*}, {@code *}) are answered by
 * one string comparison; anything else by backtracking to the most recent star, which is enough
 * because every other token has a fixed length where it matches.
 *
 * <p>Immutable and thread-safe.
 */
final class NameGlob {

  private enum Shape { EXACT, SUFFIX, PREFIX, ANY, GENERAL }

  private static final NameGlob ANY = new NameGlob(List.of(GlobToken.Star.INSTANCE));

  private final GlobToken[] tokens;
  private final Shape shape;
  /** The literal text for the EXACT, SUFFIX and PREFIX shapes. */
  private final String literal;

  private NameGlob(List<GlobToken> collapsed) {
    this.tokens = collapsed.toArray(new GlobToken[0]);
    this.shape = shapeOf(tokens);
    this.literal = switch (shape) {
      case EXACT, PREFIX -> ((GlobToken.Literal) tokens[0]).text();
      case SUFFIX -> ((GlobToken.Literal) tokens[1]).text();
      default -> null;
    };
  }

  /** A glob of {@code tokens}; runs of stars act as one star. */
  static NameGlob of(List<GlobToken> tokens) {
    List<GlobToken> collapsed = new ArrayList<>(tokens.size());
    for (GlobToken t : tokens) {
      boolean repeatedStar = t == GlobToken.Star.INSTANCE
          && !collapsed.isEmpty()
          && collapsed.get(collapsed.size() - 1) == GlobToken.Star.INSTANCE;
      if (!repeatedStar) {
        collapsed.add(t);
      }
    }
    return new NameGlob(collapsed);
  }

  /** The glob {@code *}: every name. */
  static NameGlob any() {
    return ANY;
  }

  private static Shape shapeOf(GlobToken[] t) {
    if (t.length == 1 && t[0] instanceof GlobToken.Literal) {
      return Shape.EXACT;
    }
    if (t.length == 1 && t[0] == GlobToken.Star.INSTANCE) {
      return Shape.ANY;
    }
    if (t.length == 2 && t[0] == GlobToken.Star.INSTANCE && t[1] instanceof GlobToken.Literal) {
      return Shape.SUFFIX;
    }
    if (t.length == 2 && t[0] instanceof GlobToken.Literal && t[1] == GlobToken.Star.INSTANCE) {
      return Shape.PREFIX;
    }
    return Shape.GENERAL;
  }

  /** Returns {@code true} if the whole of {@code s[from, to)} matches. */
  boolean matches(String s, int from, int to) {
    int length = to - from;
    return switch (shape) {
      case EXACT -> length == literal.length() && s.startsWith(literal, from);
      case SUFFIX -> length >= literal.length() && s.startsWith(literal, to - literal.length());
      case PREFIX -> length >= literal.length() && s.startsWith(literal, from);
      case ANY -> true;
      case GENERAL -> matchesGeneral(s, from, to);
    };
  }

  private boolean matchesGeneral(String s, int from, int to) {
    int ti = 0;
    int pos = from;
    int starTi = -1;
    int starPos = -1;
    while (true) {
      if (ti < tokens.length) {
        GlobToken token = tokens[ti];
        if (token == GlobToken.Star.INSTANCE) {
          starTi = ti;
          starPos = pos;
          ti++;
          continue;
        }
        int next = token.matchAt(s, pos, to);
        if (next != GlobToken.NO_MATCH) {
          pos = next;
          ti++;
          continue;
        }
      } else if (pos == to) {
        return true;
      }
      // Mismatch: let the most recent star swallow one more character and retry after it.
      if (starTi < 0 || starPos >= to) {
        return false;
      }
      starPos += Character.charCount(s.codePointAt(starPos));
      pos = starPos;
      ti = starTi + 1;
    }
  }
}
