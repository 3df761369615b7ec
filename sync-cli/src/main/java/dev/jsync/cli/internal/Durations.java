package dev.jsync.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as a person writes them on a command line: units run together from largest
 * to smallest ({@code 1h30m}, {@code 1m30s}, {@code 30s}, {@code 500ms}), a bare number of
 * seconds, or ISO-8601 ({@code PT1M30S}). The short form is rewritten into ISO-8601 and both go
 * through {@link Duration#parse}, which does the arithmetic and the overflow checks. Stateless.
 */
final class Durations {

  /** Hours, minutes, seconds, milliseconds, each optional, in that order; spaces between them allowed. */
  private static final Pattern UNITS = Pattern.compile(
      "(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*m(?!s))?\\s*(?:(\\d+)\\s*s)?\\s*(?:(\\d+)\\s*ms)?");

  private Durations() {
  }

  /** @throws BadInvocation naming {@code option} if {@code text} is not a positive duration */
  static Duration parse(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      d = Duration.parse(iso(t));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw BadInvocation.usage(option + " '" + text + "' is not a duration: write e.g. 30s, 5m, 1m30s or 1h");
    }
    if (d.isNegative() || d.isZero()) {
      throw BadInvocation.usage(option + " '" + text + "' must be longer than zero, e.g. 60s");
    }
    return d;
  }

  /** {@code t} in ISO-8601; text that is no duration comes back unchanged, for {@link Duration#parse} to refuse. */
  private static String iso(String t) {
    if (t.startsWith("p")) {
      return t.toUpperCase(Locale.ROOT);
    }
    if (t.chars().allMatch(c -> c >= '0' && c <= '9') && !t.isEmpty()) {
      return "PT" + t + "S";
    }
    Matcher m = UNITS.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      return t;
    }
    StringBuilder b = new StringBuilder("PT");
    if (m.group(1) != null) {
      b.append(m.group(1)).append('H');
    }
    if (m.group(2) != null) {
      b.append(m.group(2)).append('M');
    }
    if (m.group(3) != null || m.group(4) != null) {
      String seconds = m.group(3) == null ? "0" : m.group(3);
      if (m.group(4) != null) {
        // Milliseconds become the fraction of a second; 1000 or more carry into the seconds.
        try {
          long ms = Long.parseLong(m.group(4));
          seconds = Math.addExact(Long.parseLong(seconds), ms / 1000) + "."
              + String.format(Locale.ROOT, "%03d", ms % 1000);
        } catch (NumberFormatException | ArithmeticException e) {
          return t;
        }
      }
      b.append(seconds).append('S');
    }
    return b.toString();
  }
}
