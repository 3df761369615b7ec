package dev.jsync.core.internal;

/**
 * A canonical {@code /}-separated relative path with the bounds of its segments precomputed, so
 * that matching a path and each of its ancestors against many patterns splits it only once and
 * allocates no substrings.
 *
 * <p>Immutable after construction; not shared between threads in practice (one per query).
 */
final class PathSegments {

  private final String path;
  /** Index of the character after each segment: a {@code /} or the end of the path. */
  private final int[] ends;

  private PathSegments(String path, int[] ends) {
    this.path = path;
    this.ends = ends;
  }

  /** Splits a canonical path: non-empty segments separated by single slashes. */
  static PathSegments of(String path) {
    int count = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        count++;
      }
    }
    int[] ends = new int[count];
    int next = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        ends[next++] = i;
      }
    }
    ends[next] = path.length();
    return new PathSegments(path, ends);
  }

  String path() {
    return path;
  }

  int count() {
    return ends.length;
  }

  int start(int segment) {
    return segment == 0 ? 0 : ends[segment - 1] + 1;
  }

  int end(int segment) {
    return ends[segment];
  }
}
