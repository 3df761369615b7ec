package dev.jsync.core.merge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeChunk;
import org.eclipse.jgit.merge.MergeResult;

/**
 * Three-way line merge of two concurrent versions of a text note against their common base.
 *
 * <p>Each side's change to the base is a set of line hunks (JGit's histogram diff). When no hunk
 * of one side overlaps or touches a hunk of the other, the result holds both sides' changes and
 * everything else from the base; an identical change made on both sides counts once. Anything
 * else is {@link Overlapping}: the caller falls back to the conflict rule, which keeps both
 * versions.
 *
 * <p>Only UTF-8 text without NUL bytes is merged, and only when the three versions agree on line
 * endings (each uses LF, or each uses CRLF; a version with a single line counts as either): a
 * merge of a CRLF note with an LF one would give lines of both kinds. Lines are compared byte
 * for byte, line terminator included, so a last line without a newline differs from the same
 * line with one.
 *
 * <p>The result does not depend on which side is called ours: the two sides are put in a fixed
 * order (by their bytes) before merging, so two devices that merge the same three versions
 * concurrently write the same bytes. Stateless and thread-safe.
 */
public final class TextMerge {

  private TextMerge() {}

  /** What {@link #merge} found. */
  public sealed interface Outcome permits Merged, Overlapping, NotText {}

  /** Both sides' changes, merged. */
  public record Merged(byte[] bytes) implements Outcome {
    public Merged {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Merged m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Merged[" + bytes.length + " B]";
    }
  }

  /** The sides changed the same or neighbouring lines differently: not merged. */
  public record Overlapping() implements Outcome {}

  /** Not merged because the inputs are not text this merge handles; {@code why} says which. */
  public record NotText(String why) implements Outcome {}

  /**
   * Merges {@code a} and {@code b}, two versions made from {@code base}.
   *
   * <p>Symmetric: {@code merge(base, a, b)} equals {@code merge(base, b, a)}.
   */
  public static Outcome merge(byte[] base, byte[] a, byte[] b) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    for (byte[] x : List.of(base, a, b)) {
      String why = notText(x);
      if (why != null) {
        return new NotText(why);
      }
    }
    Endings endings = Endings.of(base).and(Endings.of(a)).and(Endings.of(b));
    if (endings == Endings.MIXED) {
      return new NotText("the versions do not agree on line endings (LF or CRLF)");
    }
    if (Arrays.equals(a, b)) {
      return new Merged(a);
    }
    byte[] first = Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    byte[] second = first == a ? b : a;
    MergeResult<RawText> result = new MergeAlgorithm(new HistogramDiff())
        .merge(RawTextComparator.DEFAULT, new RawText(base), new RawText(first), new RawText(second));
    if (result.containsConflicts()) {
      return new Overlapping();
    }
    Lines[] sequences = {new Lines(base), new Lines(first), new Lines(second)};
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(first.length, second.length));
    for (MergeChunk chunk : result) {
      Lines lines = sequences[chunk.getSequenceIndex()];
      for (int i = chunk.getBegin(); i < chunk.getEnd(); i++) {
        lines.write(i, out);
      }
    }
    return new Merged(out.toByteArray());
  }

  /** Why {@code bytes} are not mergeable text, or null if they are. */
  private static String notText(byte[] bytes) {
    for (byte x : bytes) {
      if (x == 0) {
        return "a version holds a NUL byte (binary content)";
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return null;
    } catch (CharacterCodingException e) {
      return "a version is not valid UTF-8";
    }
  }

  /** The line endings a text uses. */
  private enum Endings {
    /** No line break between two lines: agrees with either kind. */
    ANY,
    LF,
    CRLF,
    MIXED;

    static Endings of(byte[] text) {
      Endings seen = ANY;
      for (int i = 0; i < text.length; i++) {
        if (text[i] == '\n') {
          seen = seen.and(i > 0 && text[i - 1] == '\r' ? CRLF : LF);
        }
      }
      return seen;
    }

    Endings and(Endings other) {
      if (this == ANY || this == other) {
        return other;
      }
      return other == ANY ? this : MIXED;
    }
  }

  /**
   * A text split into lines the way {@link RawText} splits it (after each LF; a last line
   * without one counts), each line written with its own terminator.
   */
  private static final class Lines {
    private final byte[] text;
    private final int[] starts;

    Lines(byte[] text) {
      this.text = text;
      int count = 0;
      for (byte x : text) {
        if (x == '\n') {
          count++;
        }
      }
      boolean unterminatedTail = text.length > 0 && text[text.length - 1] != '\n';
      starts = new int[count + (unterminatedTail ? 1 : 0) + 1];
      int line = 0;
      starts[line++] = 0;
      for (int i = 0; i < text.length; i++) {
        if (text[i] == '\n' && line < starts.length) {
          starts[line++] = i + 1;
        }
      }
      starts[starts.length - 1] = text.length;
    }

    void write(int line, ByteArrayOutputStream out) {
      out.write(text, starts[line], starts[line + 1] - starts[line]);
    }
  }
}
