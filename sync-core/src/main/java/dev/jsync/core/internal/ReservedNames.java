package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Decides whether a name is jSync's own: the state folder ({@code .jsync} at the root of the
 * folder) or a download's temp file ({@code .jsync-tmp-...} in any folder). Names are compared
 * the way the file systems jSync runs on compare them, on every platform, so that a node on a
 * case-sensitive Linux disk also refuses to announce or accept a name that would be the state
 * folder on a Mac or a Windows peer:
 * <ul>
 *   <li>case-insensitively, by a locale-independent full case fold (upper then lower case in
 *       {@link Locale#ROOT}, so {@code ß} and {@code SS}, or the long s {@code ſ} and {@code s},
 *       fold alike), as APFS, HFS+ and NTFS do by default;</li>
 *   <li>after Unicode normalisation (NFC), as APFS and HFS+ do, and without format characters
 *       such as U+200B or U+200D, which HFS+ ignores in names;</li>
 *   <li>without trailing dots and spaces, which Windows drops ({@code .jsync.} and
 *       {@code .jsync } open the state folder there), and only up to a {@code :}, which on
 *       NTFS names a stream of the file before it;</li>
 *   <li>for the state folder, also its DOS 8.3 short name {@code JSYNC~1} (any number), which
 *       Windows accepts for {@code .jsync}.</li>
 * </ul>
 * What this does not model: 8.3 short names of the hashed form ({@code JS1A2B~1}) that NTFS
 * makes once four names share a six-character stem, and file systems with other folding
 * tables. Such names can only reach the state folder on Windows with 8.3 names enabled.
 *
 * <p>Stateless and thread-safe; no I/O. Plain ASCII names, nearly all names in practice, are
 * judged without allocating.
 */
public final class ReservedNames {

  private static final String STATE = RelativePath.STATE_DIR_NAME;
  private static final String TEMP = RelativePath.TEMP_PREFIX;

  private ReservedNames() {
  }

  /** Whether {@code name}, one segment at the root of the folder, names the state folder. */
  public static boolean isStateDir(String name) {
    return isStateDir(name, 0, name.length());
  }

  /** Whether {@code name}, one segment in any folder, names a download's temp file. */
  public static boolean isTemp(String name) {
    return isTemp(name, 0, name.length());
  }

  /** Whether {@code name} is exactly one of jSync's own temp names, as jSync writes them. */
  public static boolean isExactTemp(String name) {
    return name.startsWith(TEMP);
  }

  /**
   * Whether the canonical path {@code path} ({@code /}-separated) is jSync's own: its first
   * segment names the state folder or any segment names a temp file.
   */
  public static boolean isReservedPath(String path) {
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if ((start == 0 && isStateDir(path, 0, i)) || isTemp(path, start, i)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /** {@link #isStateDir(String)} of the segment {@code s[from, to)}. */
  public static boolean isStateDir(String s, int from, int to) {
    if (!plainAscii(s, from, to)) {
      String folded = fold(s.substring(from, to));
      return folded.equals(STATE) || isShortStateName(folded, 0, folded.length());
    }
    int end = trimTrailingDotsAndSpaces(s, from, to);
    return (end - from == STATE.length() && s.regionMatches(true, from, STATE, 0, STATE.length()))
        || isShortStateName(s, from, end);
  }

  /** {@link #isTemp(String)} of the segment {@code s[from, to)}. */
  public static boolean isTemp(String s, int from, int to) {
    if (!plainAscii(s, from, to)) {
      return fold(s.substring(from, to)).startsWith(TEMP);
    }
    // Trailing dots and spaces cannot matter: a name that starts with the prefix still does.
    return to - from >= TEMP.length() && s.regionMatches(true, from, TEMP, 0, TEMP.length());
  }

  /**
   * The name as a case-insensitive, normalising file system compares it: NFC, no format
   * characters, only up to a {@code :}, case-folded, without trailing dots and spaces.
   */
  static String fold(String name) {
    String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
    StringBuilder b = new StringBuilder(nfc.length());
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == ':') {
        break;
      }
      if (Character.getType(cp) != Character.FORMAT) {
        b.appendCodePoint(cp);
      }
    }
    String folded = b.toString().toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    folded = Normalizer.normalize(folded, Normalizer.Form.NFC);
    return folded.substring(0, trimTrailingDotsAndSpaces(folded, 0, folded.length()));
  }

  /** {@code jsync~N}: the 8.3 short name Windows gives {@code .jsync} (the leading dot dropped). */
  private static boolean isShortStateName(String s, int from, int to) {
    String stem = STATE.substring(1) + "~";
    if (to - from <= stem.length() || !s.regionMatches(true, from, stem, 0, stem.length())) {
      return false;
    }
    for (int i = from + stem.length(); i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static int trimTrailingDotsAndSpaces(String s, int from, int to) {
    int end = to;
    while (end > from && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
      end--;
    }
    return end;
  }

  /** Printable ASCII without {@code :}: folding is ASCII case alone. */
  private static boolean plainAscii(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == ':') {
        return false;
      }
    }
    return true;
  }
}
