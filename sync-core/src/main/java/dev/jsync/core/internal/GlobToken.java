package dev.jsync.core.internal;

/**
 * One element of a glob that matches a single path segment (a file or folder name): a run of
 * literal text, {@code ?}, {@code *} or a bracket expression ({@link CharClass}).
 *
 * <p>Every token except {@link Star} matches a fixed stretch of text wherever it is tried, which
 * is what lets {@link NameGlob} match with simple backtracking to the last star.
 *
 * <p>Immutable and thread-safe.
 */
sealed interface GlobToken permits GlobToken.Literal, GlobToken.AnyChar, GlobToken.Star, CharClass {

  /** Returned by {@link #matchAt} when the token does not match. */
  int NO_MATCH = -1;

  /**
   * Tries this token at {@code pos} of {@code text}, which must not be read at or past
   * {@code end}.
   *
   * @return the index just after the matched text, or {@link #NO_MATCH}
   */
  int matchAt(String text, int pos, int end);

  /** Text that must appear exactly; escapes are already resolved. */
  record Literal(String text) implements GlobToken {
    @Override
    public int matchAt(String s, int pos, int end) {
      int after = pos + text.length();
      return after <= end && s.startsWith(text, pos) ? after : NO_MATCH;
    }
  }

  /** {@code ?}: any one character. A character is a code point, not a UTF-16 unit. */
  enum AnyChar implements GlobToken {
    INSTANCE;

    @Override
    public int matchAt(String s, int pos, int end) {
      return pos < end ? pos + Character.charCount(s.codePointAt(pos)) : NO_MATCH;
    }
  }

  /** {@code *}: any run of characters, including none. Handled by {@link NameGlob} itself. */
  enum Star implements GlobToken {
    INSTANCE;

    @Override
    public int matchAt(String s, int pos, int end) {
      throw new UnsupportedOperationException("a star has no fixed length");
    }
  }
}
