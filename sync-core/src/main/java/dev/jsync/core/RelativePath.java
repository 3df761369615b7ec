package dev.jsync.core;

import dev.jsync.core.internal.ReservedNames;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A path inside the synced folder, relative to its root: the only way a path from disk or from
 * a peer reaches the rest of jSync.
 *
 * <p>The canonical form uses {@code /} separators and Unicode NFC, has no leading or trailing
 * separator and no empty, {@code .} or {@code ..} segment. {@link #of(String)} accepts a
 * backslash as a separator (paths from Windows peers) and rejects, with an
 * {@link InvalidRelativePathException} naming the input:
 * <ul>
 *   <li>absolute paths ({@code /x}, {@code C:x}, {@code \\server\x});</li>
 *   <li>{@code .} and {@code ..} segments, empty segments ({@code a//b}, {@code a/});</li>
 *   <li>NUL and other control characters, and unpaired UTF-16 surrogates (no UTF-8 form);</li>
 *   <li>jSync's own state folder ({@code .jsync} at the root) and temp files
 *       ({@value #TEMP_PREFIX}...), which never sync, matched the way the file systems jSync
 *       runs on match names, whatever this machine's: in any case, Unicode form, with Windows'
 *       ignored trailing dots and spaces ({@code .JSYNC}, {@code .jsync.}, {@code .Jsync-Tmp-x};
 *       see {@link ReservedNames});</li>
 *   <li>names longer than {@value #MAX_SEGMENT_BYTES} bytes or paths longer than
 *       {@value #MAX_PATH_BYTES} bytes in UTF-8.</li>
 * </ul>
 * Hostile input therefore never reaches the file system: resolving a {@code RelativePath}
 * against a folder can only name something inside it (symlinks aside, which the engine never
 * follows).
 *
 * <p>Immutable and thread-safe. Ordering is by UTF-16 code unit of the canonical string, which
 * sorts a folder directly before its contents only when no sibling name sorts between; callers
 * that need parent-first order use {@link #depth()}.
 */
public final class RelativePath implements Comparable<RelativePath> {

  /** Name of the state folder at the root of a synced folder. Never synced. */
  public static final String STATE_DIR_NAME = ".jsync";

  /** Prefix of the hidden temp files that downloads are written to. Never synced. */
  public static final String TEMP_PREFIX = ".jsync-tmp-";

  /** Longest accepted name of one segment, in UTF-8 bytes (the common file-system limit). */
  public static final int MAX_SEGMENT_BYTES = 255;

  /** Longest accepted path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 4096;

  private final String value;
  /**
   * The segments, split from {@link #value} when first needed: a full scan decodes every index
   * entry's path and uses only its text. Racy but safe: any thread splits the same array.
   */
  private volatile String[] segments;

  private RelativePath(String value, String[] segments) {
    this.value = value;
    this.segments = segments;
  }

  /**
   * Parses and normalises {@code raw}.
   *
   * @throws InvalidRelativePathException if {@code raw} is not a safe relative path
   */
  public static RelativePath of(String raw) {
    if (raw == null) {
      throw new InvalidRelativePathException("null", "path is null");
    }
    if (raw.isEmpty()) {
      throw new InvalidRelativePathException(raw, "path is empty");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidRelativePathException(raw, "contains control character U+%04X".formatted((int) c));
      }
      if (Character.isSurrogate(c)) {
        // A lone surrogate has no UTF-8 form: no file system could store the name.
        boolean paired = Character.isHighSurrogate(c) && i + 1 < raw.length()
            && Character.isLowSurrogate(raw.charAt(i + 1));
        if (!paired) {
          throw new InvalidRelativePathException(raw, "contains an unpaired surrogate U+%04X".formatted((int) c));
        }
        i++;
      }
    }
    String slashed = raw.replace('\\', '/');
    if (slashed.startsWith("/")) {
      throw new InvalidRelativePathException(raw, "is absolute");
    }
    if (slashed.length() >= 2 && slashed.charAt(1) == ':' && isAsciiLetter(slashed.charAt(0))) {
      throw new InvalidRelativePathException(raw, "starts with a drive letter");
    }
    String nfc = Normalizer.normalize(slashed, Normalizer.Form.NFC);
    if (utf8Length(nfc) > MAX_PATH_BYTES) {
      throw new InvalidRelativePathException(raw, "is longer than " + MAX_PATH_BYTES + " bytes");
    }
    int start = 0;
    for (int i = 0; i <= nfc.length(); i++) {
      if (i == nfc.length() || nfc.charAt(i) == '/') {
        checkSegment(raw, nfc, start, i);
        start = i + 1;
      }
    }
    return new RelativePath(nfc, null);
  }

  /** Checks the segment {@code path[from, to)} in place (no substring unless it fails). */
  private static void checkSegment(String raw, String path, int from, int to) {
    int length = to - from;
    if (length == 0) {
      throw new InvalidRelativePathException(raw, "has an empty segment");
    }
    if (path.charAt(from) == '.' && (length == 1 || (length == 2 && path.charAt(from + 1) == '.'))) {
      throw new InvalidRelativePathException(raw, "has a '" + path.substring(from, to) + "' segment");
    }
    if (utf8Length(path, from, to) > MAX_SEGMENT_BYTES) {
      throw new InvalidRelativePathException(raw, "has a name longer than " + MAX_SEGMENT_BYTES + " bytes");
    }
    if (from == 0 && ReservedNames.isStateDir(path, from, to)) {
      throw new InvalidRelativePathException(raw, "is inside jSync's state folder");
    }
    if (ReservedNames.isTemp(path, from, to)) {
      throw new InvalidRelativePathException(raw, "is a jSync temp file");
    }
  }

  private String[] parts() {
    String[] s = segments;
    if (s == null) {
      s = value.split("/", -1);
      segments = s;
    }
    return s;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Returns {@code true} if {@link #of(String)} would accept {@code raw}. */
  public static boolean isValid(String raw) {
    try {
      of(raw);
      return true;
    } catch (InvalidRelativePathException e) {
      return false;
    }
  }

  /** The last segment: the file or folder name. */
  public String name() {
    String[] segments = parts();
    return segments[segments.length - 1];
  }

  /** The folder holding this path, empty for a path at the root. */
  public Optional<RelativePath> parent() {
    String[] segments = parts();
    if (segments.length == 1) {
      return Optional.empty();
    }
    String[] up = Arrays.copyOf(segments, segments.length - 1);
    return Optional.of(new RelativePath(String.join("/", up), up));
  }

  /** This path's parent with {@code name} as the last segment (a sibling). */
  public RelativePath resolveSibling(String name) {
    return parent().map(p -> p.resolve(name)).orElseGet(() -> RelativePath.of(name));
  }

  /**
   * A child of this path; {@code child} may itself contain separators. The same as
   * {@code of(this + "/" + child)}, with the same checks and exceptions; a plain ASCII name (the
   * common case, one per file in a scan) is checked on its own instead of the whole path again.
   */
  public RelativePath resolve(String child) {
    if (!isPlainAsciiName(child)) {
      return of(value + "/" + child);
    }
    String joined = value + "/" + child;
    // The checks of of(), in its order, so the same input fails with the same message.
    if (utf8Length(value) + 1 + child.length() > MAX_PATH_BYTES) {
      throw new InvalidRelativePathException(joined, "is longer than " + MAX_PATH_BYTES + " bytes");
    }
    if (child.equals(".") || child.equals("..")) {
      throw new InvalidRelativePathException(joined, "has a '" + child + "' segment");
    }
    if (child.length() > MAX_SEGMENT_BYTES) {
      throw new InvalidRelativePathException(joined, "has a name longer than " + MAX_SEGMENT_BYTES + " bytes");
    }
    if (ReservedNames.isTemp(child)) {
      throw new InvalidRelativePathException(joined, "is a jSync temp file");
    }
    String[] segments = parts();
    String[] parts = Arrays.copyOf(segments, segments.length + 1);
    parts[segments.length] = child;
    return new RelativePath(joined, parts);
  }

  /** Non-empty, printable ASCII only, no separator: already NFC, one segment, nothing to escape. */
  private static boolean isPlainAsciiName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '/' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * The length of {@code s} in UTF-8, without encoding it (every path read from disk or from the
   * index is measured).
   */
  static int utf8Length(String s) {
    return utf8Length(s, 0, s.length());
  }

  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4; // with its low surrogate: canonical paths have no unpaired ones
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The segments, root first. */
  public List<String> segments() {
    return List.of(parts());
  }

  /** Number of segments: 1 for a path at the root. */
  public int depth() {
    return parts().length;
  }

  /** Returns {@code true} if {@code other} is this path or lies below it. */
  public boolean contains(RelativePath other) {
    return other.value.equals(value)
        || (other.value.length() > value.length()
            && other.value.startsWith(value)
            && other.value.charAt(value.length()) == '/');
  }

  /** Every ancestor, nearest the root first, excluding this path. */
  public List<RelativePath> ancestors() {
    String[] segments = parts();
    List<RelativePath> out = new ArrayList<>(segments.length - 1);
    for (int i = 1; i < segments.length; i++) {
      String[] up = Arrays.copyOf(segments, i);
      out.add(new RelativePath(String.join("/", up), up));
    }
    return out;
  }

  /** The canonical string form, {@code /}-separated. */
  @Override
  public String toString() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelativePath other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(RelativePath o) {
    return value.compareTo(o.value);
  }
}
