package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiled ignore rules: reserved patterns that always win, then ordinary patterns where the last
 * one that matches decides (a negated one re-includes). Paths are canonical relative paths as
 * produced by {@code RelativePath.toString()}.
 *
 * <p>Every pattern is compiled once; a query splits the path once and allocates nothing else.
 * Immutable and thread-safe; does no I/O.
 */
public final class IgnoreMatcher {

  private final IgnorePattern[] reserved;
  private final IgnorePattern[] ordered;

  private IgnoreMatcher(IgnorePattern[] reserved, IgnorePattern[] ordered) {
    this.reserved = reserved;
    this.ordered = ordered;
  }

  /**
   * Compiles {@code reservedLines}, which match regardless of any other line and must not be
   * negated, and {@code lines}, in order of increasing precedence. Never throws on the content
   * of {@code lines}; lines that cannot match are dropped.
   *
   * @throws IllegalArgumentException if a reserved line is negated or cannot match
   */
  public static IgnoreMatcher compile(List<String> reservedLines, List<String> lines) {
    List<IgnorePattern> reserved = new ArrayList<>();
    for (String line : reservedLines) {
      IgnorePattern p = IgnorePattern.compile(line);
      if (p == null || p.negated()) {
        throw new IllegalArgumentException("not a usable reserved pattern: " + line);
      }
      reserved.add(p);
    }
    List<IgnorePattern> ordered = new ArrayList<>();
    for (String line : lines) {
      IgnorePattern p = IgnorePattern.compile(line);
      if (p != null) {
        ordered.add(p);
      }
    }
    return new IgnoreMatcher(
        reserved.toArray(new IgnorePattern[0]), ordered.toArray(new IgnorePattern[0]));
  }

  /**
   * The pattern lines of {@code fileText} that can never match (an unterminated or unknown
   * bracket expression, a trailing {@code \}, a bare {@code !} or {@code /}), with their line
   * numbers, counted from 1.
   */
  public static java.util.Map<Integer, String> unusableLines(String fileText) {
    java.util.Map<Integer, String> bad = new java.util.LinkedHashMap<>();
    String body = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      for (String pattern : IgnoreFileText.patternLines(lines[i])) {
        if (IgnorePattern.compile(pattern) == null) {
          bad.put(i + 1, pattern);
        }
      }
    }
    return bad;
  }

  /** The pattern lines of an ignore file's text (no comments or blank lines), as written. */
  public static List<String> patternLines(String fileText) {
    return IgnoreFileText.patternLines(fileText);
  }

  /** Returns {@code true} if the rules ignore {@code path} itself, ancestors not considered. */
  public boolean isIgnored(String path, boolean isDirectory) {
    PathSegments p = PathSegments.of(path);
    return decide(p, p.count(), isDirectory);
  }

  /** Returns {@code true} if the rules ignore {@code path} or any folder above it. */
  public boolean isIgnoredWithAncestors(String path, boolean isDirectory) {
    PathSegments p = PathSegments.of(path);
    for (int depth = 1; depth < p.count(); depth++) {
      if (decide(p, depth, true)) {
        return true;
      }
    }
    return decide(p, p.count(), isDirectory);
  }

  private boolean decide(PathSegments p, int count, boolean isDirectory) {
    for (IgnorePattern r : reserved) {
      if (r.matches(p, count, isDirectory)) {
        return true;
      }
    }
    for (int i = ordered.length - 1; i >= 0; i--) {
      if (ordered[i].matches(p, count, isDirectory)) {
        return !ordered[i].negated();
      }
    }
    return false;
  }
}
