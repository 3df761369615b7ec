package dev.jsync.protocol;

/** Free-text fields from the wire end up in logs: they are cut and stripped of control characters. */
final class Texts {

  private Texts() {
  }

  /** {@code s} cut to {@link Protocol#MAX_DETAIL_CHARS} with control characters replaced by '?'. */
  static String cut(String s) {
    String t = s.length() > Protocol.MAX_DETAIL_CHARS ? s.substring(0, Protocol.MAX_DETAIL_CHARS) : s;
    StringBuilder b = null;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(t);
        }
        b.setCharAt(i, '?');
      }
    }
    return b == null ? t : b.toString();
  }
}
