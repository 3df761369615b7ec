package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The line structure of an ignore file: which lines are patterns, and the trailing-space rule.
 * Follows git: lines end at {@code \n} with an optional {@code \r} before it, a leading byte
 * order mark is skipped, a line starting with {@code #} is a comment, and a line that is empty
 * once trailing spaces are removed is blank. Stateless.
 */
final class IgnoreFileText {

  private IgnoreFileText() {}

  /** The pattern lines of {@code text}, as written (only a line-ending {@code \r} removed). */
  static List<String> patternLines(String text) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (!line.startsWith("#") && !trimTrailingSpaces(line).isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }

  /**
   * Removes trailing spaces (not tabs) unless escaped: {@code "a\ "} keeps its last space, and
   * {@code "a\  "} keeps one. A line ending in a lone {@code \} is left alone; it never matches.
   */
  static String trimTrailingSpaces(String line) {
    int keep = 0;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\\') {
        if (i + 1 >= line.length()) {
          return line;
        }
        i += 2;
        keep = i;
      } else {
        i++;
        if (c != ' ') {
          keep = i;
        }
      }
    }
    return line.substring(0, keep);
  }
}
