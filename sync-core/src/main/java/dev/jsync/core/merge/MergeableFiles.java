package dev.jsync.core.merge;

import dev.jsync.core.RelativePath;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which files may be merged line by line when two devices edited them concurrently: by
 * extension (compared without regard to case) and up to a size. The default is Markdown and
 * plain text notes ({@code md}, {@code txt}) up to {@value #DEFAULT_MAX_BYTES} bytes; {@link
 * #none()} merges nothing. Whether the bytes are text at all is checked by {@link TextMerge}.
 */
public final class MergeableFiles {

  /** The largest file merged by default: 1 MiB, far above any note people write by hand. */
  public static final long DEFAULT_MAX_BYTES = 1L << 20;

  private static final MergeableFiles DEFAULTS = new MergeableFiles(Set.of("md", "txt"), DEFAULT_MAX_BYTES);
  private static final MergeableFiles NONE = new MergeableFiles(Set.of(), 0);

  private final Set<String> extensions;
  private final long maxBytes;

  private MergeableFiles(Set<String> extensions, long maxBytes) {
    this.extensions = Set.copyOf(extensions);
    this.maxBytes = maxBytes;
  }

  /** {@code .md} and {@code .txt} files up to 1 MiB. */
  public static MergeableFiles defaults() {
    return DEFAULTS;
  }

  /** Nothing is merged: every concurrent edit is a conflict, resolved as without merging. */
  public static MergeableFiles none() {
    return NONE;
  }

  /**
   * Files with one of {@code extensions} (without the dot, any case) up to {@code maxBytes}.
   *
   * @throws IllegalArgumentException if an extension is empty, holds a dot or a slash, or
   *     {@code maxBytes} is negative
   */
  public static MergeableFiles of(Set<String> extensions, long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maximum size is negative: " + maxBytes);
    }
    Set<String> folded = new TreeSet<>();
    for (String e : extensions) {
      String x = e.toLowerCase(Locale.ROOT);
      if (x.isEmpty() || x.contains(".") || x.contains("/") || x.contains("\\")) {
        throw new IllegalArgumentException("not a file extension: '" + e + "' (give it without the dot, e.g. md)");
      }
      folded.add(x);
    }
    return folded.isEmpty() ? NONE : new MergeableFiles(folded, maxBytes);
  }

  /**
   * Parses the command line's form: {@code none}, or extensions separated by commas
   * ({@code md,txt,org}; a leading dot on each is allowed), merged up to the default size.
   *
   * @throws IllegalArgumentException with a message for people if the text is not of that form
   */
  public static MergeableFiles parse(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("none")) {
      return NONE;
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("no extensions given: use e.g. md,txt or none");
    }
    Set<String> exts = Arrays.stream(t.split(",", -1))
        .map(String::strip)
        .map(e -> e.startsWith(".") ? e.substring(1) : e)
        .collect(Collectors.toCollection(TreeSet::new));
    return of(exts, DEFAULT_MAX_BYTES);
  }

  /** Whether a file at {@code path} whose versions are at most {@code size} bytes may be merged. */
  public boolean accepts(RelativePath path, long size) {
    if (extensions.isEmpty() || size > maxBytes) {
      return false;
    }
    String name = path.name();
    int dot = name.lastIndexOf('.');
    return dot > 0 && extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The extensions merged, lower case, without dots. */
  public Set<String> extensions() {
    return extensions;
  }

  /** The largest version merged, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MergeableFiles m && m.extensions.equals(extensions) && m.maxBytes == maxBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(extensions, maxBytes);
  }

  @Override
  public String toString() {
    return extensions.isEmpty() ? "none" : String.join(",", new TreeSet<>(extensions)) + " up to " + maxBytes + " B";
  }
}
