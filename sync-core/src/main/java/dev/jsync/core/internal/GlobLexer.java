package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the body of an ignore pattern (no {@code !}, no leading or trailing {@code /}) into
 * segments of {@link GlobToken}s.
 *
 * <p>{@code \} makes the next character literal; {@code \/} still separates segments, because in
 * git it can only ever match the separator. A {@code /} inside a bracket expression does not
 * separate (it can never match either, since no name contains one). Stateless.
 */
final class GlobLexer {

  private GlobLexer() {}

  /**
   * Returns the segments of {@code body}, or {@code null} if the pattern is malformed (a trailing
   * {@code \} or a bad bracket expression) and, as in git, can never match.
   */
  static List<List<GlobToken>> lex(String body) {
    List<List<GlobToken>> segments = new ArrayList<>();
    List<GlobToken> current = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\') {
        if (i + 1 >= body.length()) {
          return null;
        }
        int escaped = body.codePointAt(i + 1);
        i += 1 + Character.charCount(escaped);
        if (escaped == '/') {
          flush(literal, current);
          segments.add(current);
          current = new ArrayList<>();
        } else {
          literal.appendCodePoint(escaped);
        }
      } else if (c == '/') {
        flush(literal, current);
        segments.add(current);
        current = new ArrayList<>();
        i++;
      } else if (c == '*' || c == '?') {
        flush(literal, current);
        current.add(c == '*' ? GlobToken.Star.INSTANCE : GlobToken.AnyChar.INSTANCE);
        i++;
      } else if (c == '[') {
        CharClass.Parsed parsed = CharClass.parse(body, i);
        if (parsed == null) {
          return null;
        }
        flush(literal, current);
        current.add(parsed.charClass());
        i = parsed.next();
      } else {
        literal.append(c);
        i++;
      }
    }
    flush(literal, current);
    segments.add(current);
    return segments;
  }

  private static void flush(StringBuilder literal, List<GlobToken> into) {
    if (literal.length() > 0) {
      into.add(new GlobToken.Literal(literal.toString()));
      literal.setLength(0);
    }
  }
}
