package dev.jsync.core.internal;

import java.text.Normalizer;
import java.util.List;

/**
 * One compiled line of an ignore file.
 *
 * <p>Reading a line, as git does: trailing unescaped spaces go; a leading {@code !} negates; a
 * trailing {@code /} restricts the pattern to folders; a pattern with no other {@code /} matches
 * the last segment at any depth, while one with a {@code /} at the start or in the middle matches
 * the whole path from the root. The text is normalised to Unicode NFC, like every
 * {@code RelativePath}, so a file saved with decomposed accents still matches.
 *
 * <p>Immutable and thread-safe.
 */
final class IgnorePattern {

  private final boolean negated;
  private final boolean directoryOnly;
  /** Set for patterns that match the last segment only; {@link #path} is then null. */
  private final NameGlob name;
  private final PathGlob path;

  private IgnorePattern(boolean negated, boolean directoryOnly, NameGlob name, PathGlob path) {
    this.negated = negated;
    this.directoryOnly = directoryOnly;
    this.name = name;
    this.path = path;
  }

  /**
   * Compiles one line. Returns {@code null} for lines that can never match: blank lines,
   * comments, a bare {@code !} or {@code /}, and malformed patterns (an unterminated or unknown
   * bracket expression, a trailing {@code \}).
   */
  static IgnorePattern compile(String line) {
    String text = Normalizer.normalize(line, Normalizer.Form.NFC);
    if (text.startsWith("#")) {
      return null;
    }
    text = IgnoreFileText.trimTrailingSpaces(text);
    boolean negated = text.startsWith("!");
    if (negated) {
      text = text.substring(1);
    }
    boolean directoryOnly = text.endsWith("/");
    if (directoryOnly) {
      text = text.substring(0, text.length() - 1);
    }
    boolean anchored = text.indexOf('/') >= 0;
    if (text.startsWith("/")) {
      text = text.substring(1);
    }
    if (text.isEmpty()) {
      return null;
    }
    List<List<GlobToken>> segments = GlobLexer.lex(text);
    if (segments == null) {
      return null;
    }
    if (anchored) {
      return new IgnorePattern(negated, directoryOnly, null, PathGlob.of(segments));
    }
    // Without a "/" (\/ counts as one) the lexer yields exactly one segment.
    return new IgnorePattern(negated, directoryOnly, NameGlob.of(segments.get(0)), null);
  }

  boolean negated() {
    return negated;
  }

  /** Returns {@code true} if this pattern matches the first {@code count} segments of {@code p}. */
  boolean matches(PathSegments p, int count, boolean isDirectory) {
    if (directoryOnly && !isDirectory) {
      return false;
    }
    if (name != null) {
      int last = count - 1;
      return name.matches(p.path(), p.start(last), p.end(last));
    }
    return path.matches(p, count);
  }
}
