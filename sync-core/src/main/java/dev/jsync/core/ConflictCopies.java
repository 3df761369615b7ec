package dev.jsync.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.charset.StandardCharsets;

/**
 * Names of conflict copies: {@code <name>.conflict-<yyyyMMdd-HHmmss>-<device>.bak}, next to the
 * original, e.g. {@code notes/plan.md.conflict-20261124-093012-k3j5x2a.bak}.
 *
 * <p>The name is built from the losing version alone (its modification time in UTC and its
 * author's short id), never from the clock or from who detects the conflict, so every device
 * that resolves the same conflict produces the same copy, and the copies merge instead of
 * multiplying. Stateless and thread-safe.
 */
public final class ConflictCopies {

  /** Marker between the original name and the time. */
  public static final String MARKER = ".conflict-";

  /** Extension of every conflict copy. */
  public static final String EXTENSION = ".bak";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private ConflictCopies() {}

  /** Where the conflict copy of {@code loser} goes. */
  public static RelativePath pathFor(FileRecord loser) {
    Instant time = Instant.ofEpochSecond(0, loser.modifiedNanos());
    String suffix = MARKER + STAMP.format(time) + "-" + loser.modifiedBy().shortId() + EXTENSION;
    String base = truncateToBytes(loser.path().name(), RelativePath.MAX_SEGMENT_BYTES - suffix.length());
    return loser.path().resolveSibling(base + suffix);
  }

  /**
   * Where {@code loser} goes if {@link #pathFor} is taken by another version: one device can
   * lose two conflicts with versions saved within the same second. The name also carries the
   * first eight hex digits of the loser's content hash, so it too depends on the loser alone:
   * {@code <name>.conflict-<yyyyMMdd-HHmmss>-<device>-<hash>.bak}.
   */
  public static RelativePath alternativePathFor(FileRecord loser) {
    Instant time = Instant.ofEpochSecond(0, loser.modifiedNanos());
    String suffix = MARKER + STAMP.format(time) + "-" + loser.modifiedBy().shortId() + "-"
        + loser.contentHash().toString().substring(0, 8) + EXTENSION;
    String base = truncateToBytes(loser.path().name(), RelativePath.MAX_SEGMENT_BYTES - suffix.length());
    return loser.path().resolveSibling(base + suffix);
  }

  /** Returns {@code true} if {@code path} looks like a conflict copy. */
  public static boolean isConflictCopy(RelativePath path) {
    String n = path.name();
    return n.endsWith(EXTENSION) && n.contains(MARKER);
  }

  // Keeps whole code points so a name is never cut inside a character.
  private static String truncateToBytes(String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > maxBytes) {
        break;
      }
      b.appendCodePoint(cp);
      bytes += len;
      i += Character.charCount(cp);
    }
    return b.toString();
  }
}
