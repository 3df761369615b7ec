package dev.jsync.core;

/**
 * Thrown when a string is not a safe {@link RelativePath}. The message names the offending
 * input (quoted, with control characters escaped) and the reason.
 */
public final class InvalidRelativePathException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String input;
  private final String reason;

  public InvalidRelativePathException(String input, String reason) {
    super("invalid path \"" + escape(input) + "\": " + reason);
    this.input = input;
    this.reason = reason;
  }

  /** The rejected input, unchanged. */
  public String input() {
    return input;
  }

  /** Why it was rejected, e.g. "is absolute". */
  public String reason() {
    return reason;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 200) + 8);
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append("\\u%04x".formatted((int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > 200) {
      b.append("...");
    }
    return b.toString();
  }
}
