package dev.jsync.core;

import dev.jsync.core.merge.MergeableFiles;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.charset.StandardCharsets;

/**
 * Names of conflict copies: {@code <name>.conflict-<yyyyMMdd-HHmmss>-<device>.bak}, next to the
 * original, e.g. {@code data.db.conflict-20261124-093012-k3j5x2a.bak}. A copy of a mergeable
 * file (a note, {@link MergeableFiles}) keeps its extension at the end instead, so that the
 * user's editor shows it: {@code <stem>.conflict-<yyyyMMdd-HHmmss>-<device>.<ext>}, e.g.
 * {@code notes/plan.conflict-20261124-093012-k3j5x2a.md}.
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

  /** Where the conflict copy of {@code loser} goes: a {@code .bak} name. */
  public static RelativePath pathFor(FileRecord loser) {
    return pathFor(loser, MergeableFiles.none());
  }

  /**
   * Where the conflict copy of {@code loser} goes: for a file whose extension {@code mergeable}
   * names, a name ending in that extension; for any other, a {@code .bak} name.
   */
  public static RelativePath pathFor(FileRecord loser, MergeableFiles mergeable) {
    return named(loser, mergeable, "");
  }

  private static RelativePath named(FileRecord loser, MergeableFiles mergeable, String tail) {
    Instant time = Instant.ofEpochSecond(0, loser.modifiedNanos());
    String name = loser.path().name();
    String stamp = MARKER + STAMP.format(time) + "-" + loser.modifiedBy().shortId() + tail;
    int dot = name.lastIndexOf('.');
    if (dot > 0 && mergeable.accepts(loser.path(), 0)) {
      String suffix = stamp + name.substring(dot);
      String stem = truncateToBytes(name.substring(0, dot), RelativePath.MAX_SEGMENT_BYTES - bytes(suffix));
      return loser.path().resolveSibling(stem + suffix);
    }
    String suffix = stamp + EXTENSION;
    String base = truncateToBytes(name, RelativePath.MAX_SEGMENT_BYTES - bytes(suffix));
    return loser.path().resolveSibling(base + suffix);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Where {@code loser} goes if {@link #pathFor} is taken by another version: one device can
   * lose two conflicts with versions saved within the same second. The name also carries the
   * first eight hex digits of the loser's content hash, so it too depends on the loser alone:
   * {@code <name>.conflict-<yyyyMMdd-HHmmss>-<device>-<hash>.bak}.
   */
  public static RelativePath alternativePathFor(FileRecord loser) {
    return alternativePathFor(loser, MergeableFiles.none());
  }

  /** {@link #alternativePathFor(FileRecord)}, named like {@link #pathFor(FileRecord, MergeableFiles)}. */
  public static RelativePath alternativePathFor(FileRecord loser, MergeableFiles mergeable) {
    return named(loser, mergeable, "-" + loser.contentHash().toString().substring(0, 8));
  }

  /** What a candidate name for a conflict copy holds on this device. */
  public enum Slot {
    /** Nothing: the copy can go there. */
    FREE,
    /** The loser's own content, recorded and unchanged on disk: it is kept already. */
    HOLDS_LOSER,
    /** Something else. */
    TAKEN
  }

  /** Looks a candidate name up (on disk and in the index: the caller's I/O). */
  @FunctionalInterface
  public interface Slots {
    Slot at(RelativePath copy) throws IOException;
  }

  /** Where a losing version ends up: moved to {@link KeepAs}, or {@link AlreadyKept} there. */
  public sealed interface Placement {
    RelativePath path();

    /** Move the loser's content to {@code path}. */
    record KeepAs(RelativePath path) implements Placement {}

    /**
     * Another device kept this same loser under this same name (the name derives from the loser
     * alone) and its copy synced here first: the content is safe, and no second copy is made.
     */
    record AlreadyKept(RelativePath path) implements Placement {}
  }

  /**
   * Where {@code loser} is kept, starting from the name {@code first} (its {@link #pathFor}):
   * there if free or holding the loser already; if another version holds it (the loser's author
   * saved twice within that second), at the {@link #alternativePathFor alternative name}, which is
   * taken as it is (a copy there that is not the loser's is never overwritten: the move fails).
   */
  public static Placement place(RelativePath first, FileRecord loser, Slots slots) throws IOException {
    return place(first, loser, MergeableFiles.none(), slots);
  }

  /** {@link #place(RelativePath, FileRecord, Slots)}, the alternative named as {@code mergeable} says. */
  public static Placement place(RelativePath first, FileRecord loser, MergeableFiles mergeable, Slots slots)
      throws IOException {
    RelativePath name = first;
    Slot slot = slots.at(name);
    if (slot == Slot.TAKEN) {
      name = alternativePathFor(loser, mergeable);
      slot = slots.at(name);
    }
    return slot == Slot.HOLDS_LOSER ? new Placement.AlreadyKept(name) : new Placement.KeepAs(name);
  }

  /**
   * Returns {@code true} if {@code path} looks like a conflict copy: a {@code .bak} name, or a
   * mergeable file's name that keeps its extension.
   */
  public static boolean isConflictCopy(RelativePath path) {
    String n = path.name();
    int marker = n.lastIndexOf(MARKER);
    if (marker < 0) {
      return false;
    }
    return n.endsWith(EXTENSION) || COPY_TAIL.matcher(n.substring(marker + MARKER.length())).matches();
  }

  /** What follows the marker in a copy that keeps its extension: stamp, device, hash?, extension. */
  private static final java.util.regex.Pattern COPY_TAIL =
      java.util.regex.Pattern.compile("\\d{8}-\\d{6}-[a-z2-7]{7}(-[0-9a-f]{8})?\\.[^.]+");

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
