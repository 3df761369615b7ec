package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob over whole paths: a sequence of {@link NameGlob}s, one per segment, where a segment
 * {@code **} stands for any number of segments.
 *
 * <p>A {@code **} segment matches zero or more segments when it comes first or sits between two
 * others (so {@code a}, {@code **}, {@code b} matches {@code a/b} and {@code a/x/y/b}), and one or
 * more when it comes last ({@code a/**} matches everything inside {@code a} but not {@code a}
 * itself), as in git.
 * Matching backtracks to the most recent {@code **}, the same way {@link NameGlob} treats stars.
 *
 * <p>Immutable and thread-safe.
 */
final class PathGlob {

  /** {@code null} entries stand for {@code **}. */
  private final NameGlob[] segments;
  private final boolean hasDoubleStar;

  private PathGlob(NameGlob[] segments, boolean hasDoubleStar) {
    this.segments = segments;
    this.hasDoubleStar = hasDoubleStar;
  }

  /** Builds a glob from the lexed segments of a pattern whose leading {@code /} is removed. */
  static PathGlob of(List<List<GlobToken>> lexed) {
    List<NameGlob> out = new ArrayList<>(lexed.size() + 1);
    boolean doubleStar = false;
    for (List<GlobToken> segment : lexed) {
      if (isDoubleStar(segment)) {
        // Consecutive "**" segments mean the same as one.
        if (out.isEmpty() || out.get(out.size() - 1) != null) {
          out.add(null);
        }
        doubleStar = true;
      } else {
        out.add(NameGlob.of(segment));
      }
    }
    if (out.get(out.size() - 1) == null) {
      // A trailing "**" needs at least one segment: "x/**" is "x/*" followed by "**".
      out.add(out.size() - 1, NameGlob.any());
    }
    return new PathGlob(out.toArray(new NameGlob[0]), doubleStar);
  }

  /** Two or more unescaped stars and nothing else. */
  private static boolean isDoubleStar(List<GlobToken> segment) {
    return segment.size() >= 2 && segment.stream().allMatch(t -> t == GlobToken.Star.INSTANCE);
  }

  /** Returns {@code true} if the first {@code count} segments of {@code path} match. */
  boolean matches(PathSegments path, int count) {
    if (!hasDoubleStar && count != segments.length) {
      return false;
    }
    int gi = 0;
    int si = 0;
    int starGi = -1;
    int starSi = -1;
    while (true) {
      if (gi < segments.length) {
        NameGlob glob = segments[gi];
        if (glob == null) {
          starGi = gi;
          starSi = si;
          gi++;
          continue;
        }
        if (si < count && glob.matches(path.path(), path.start(si), path.end(si))) {
          gi++;
          si++;
          continue;
        }
      } else if (si == count) {
        return true;
      }
      // Mismatch: let the most recent "**" swallow one more segment and retry after it.
      if (starGi < 0 || starSi >= count) {
        return false;
      }
      starSi++;
      si = starSi;
      gi = starGi + 1;
    }
  }
}
