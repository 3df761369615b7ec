package dev.jsync.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses durations as a person writes them on a command line: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT30S}). Stateless.
 */
final class Durations {

  private Durations() {
  }

  /** @throws BadInvocation naming {@code option} if {@code text} is not a positive duration */
  static Duration parse(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).strip()));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).strip()));
      } else if (t.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).strip()));
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw BadInvocation.usage(option + " '" + text + "' is not a duration: write e.g. 30s, 5m or 1h");
    }
    if (d.isNegative() || d.isZero()) {
      throw BadInvocation.usage(option + " '" + text + "' must be longer than zero, e.g. 60s");
    }
    return d;
  }
}
