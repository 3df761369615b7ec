package dev.jsync.core.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * A named character class usable inside a bracket expression, as in {@code [[:digit:]]}.
 *
 * <p>The classes are the ASCII ones of the C locale, as in git: {@code [[:alpha:]]} does not
 * match {@code é}. Immutable and thread-safe.
 */
enum PosixClass {
  ALNUM, ALPHA, BLANK, CNTRL, DIGIT, GRAPH, LOWER, PRINT, PUNCT, SPACE, UPPER, XDIGIT;

  /** The class called {@code name} (as written between {@code [:} and {@code :]}), if any. */
  static Optional<PosixClass> named(String name) {
    for (PosixClass c : values()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  boolean contains(int cp) {
    return switch (this) {
      case ALNUM -> isAlpha(cp) || isDigit(cp);
      case ALPHA -> isAlpha(cp);
      case BLANK -> cp == ' ' || cp == '\t';
      case CNTRL -> cp < 0x20 || cp == 0x7f;
      case DIGIT -> isDigit(cp);
      case GRAPH -> cp > 0x20 && cp < 0x7f;
      case LOWER -> cp >= 'a' && cp <= 'z';
      case PRINT -> cp >= 0x20 && cp < 0x7f;
      case PUNCT -> cp > 0x20 && cp < 0x7f && !isAlpha(cp) && !isDigit(cp);
      case SPACE -> cp == ' ' || (cp >= '\t' && cp <= '\r');
      case UPPER -> cp >= 'A' && cp <= 'Z';
      case XDIGIT -> isDigit(cp) || (cp >= 'a' && cp <= 'f') || (cp >= 'A' && cp <= 'F');
    };
  }

  private static boolean isAlpha(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }

  private static boolean isDigit(int cp) {
    return cp >= '0' && cp <= '9';
  }
}
