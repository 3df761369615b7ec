package dev.jsync.testkit;

/** Java source for values, so that printed scenarios can be pasted back into a test. */
final class JavaLiterals {

  private JavaLiterals() {}

  /** {@code s} as a Java string literal, non-ASCII and control characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
