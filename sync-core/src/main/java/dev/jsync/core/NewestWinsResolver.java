package dev.jsync.core;

import dev.jsync.core.internal.RecordOrder;
import java.time.Duration;
import java.util.Objects;

/**
 * The default {@link ConflictResolver}: the original tool's "newest wins", made deterministic.
 * Between two concurrent versions of a path, in this order:
 * <ol>
 *   <li>a live version beats a deleted one: an edit beats a concurrent delete;</li>
 *   <li>the later modification time wins, when the two differ once rounded to
 *       {@link #tieWindow()};</li>
 *   <li>otherwise the version whose author has the greater {@link DeviceId} wins;</li>
 *   <li>two versions by one device are never concurrent, but so that the answer is always the
 *       same whichever way round: a fixed total order over every field.</li>
 * </ol>
 * Every rule looks only at the two records, so both devices pick the same winner.
 *
 * <p>Immutable and thread-safe.
 */
public final class NewestWinsResolver implements ConflictResolver {

  private static final NewestWinsResolver DEFAULT = new NewestWinsResolver(Duration.ZERO);

  private final long tieWindowNanos;
  private final Duration tieWindow;

  private NewestWinsResolver(Duration tieWindow) {
    this.tieWindow = tieWindow;
    this.tieWindowNanos = tieWindow.toNanos();
  }

  /** The resolver with the default settings: no tie window. */
  public static NewestWinsResolver defaults() {
    return DEFAULT;
  }

  /**
   * A resolver that treats modification times as equal when they round to the same multiple of
   * {@code tieWindow}, so that the device order decides. Useful when devices' file systems keep
   * times at coarse precision (FAT keeps 2 s) and "newer by a second" means nothing.
   *
   * <p>Rounding, not "within {@code tieWindow} of each other": that relation is not transitive
   * (0 s ties with 1.5 s, which ties with 3 s, which does not tie with 0 s), so three
   * concurrent versions could rank differently in each order they meet in, and devices would
   * settle on different winners.
   */
  public static NewestWinsResolver withTieWindow(Duration tieWindow) {
    Objects.requireNonNull(tieWindow, "tieWindow");
    if (tieWindow.isNegative()) {
      throw new IllegalArgumentException("tieWindow must not be negative: " + tieWindow);
    }
    return new NewestWinsResolver(tieWindow);
  }

  /** Modification times closer than this count as equal. */
  public Duration tieWindow() {
    return tieWindow;
  }

  @Override
  public FileRecord winner(FileRecord a, FileRecord b) {
    // Rule 1: an edit beats a concurrent delete; losing it would lose the edit's intent.
    if (a.deleted() != b.deleted()) {
      return a.deleted() ? b : a;
    }
    // Rule 2: newest wins, outside the tie window.
    long ta = rounded(timeOf(a));
    long tb = rounded(timeOf(b));
    if (ta != tb) {
      return ta > tb ? a : b;
    }
    // Rule 3: a fixed order of devices breaks ties.
    int byDevice = a.modifiedBy().compareTo(b.modifiedBy());
    if (byDevice != 0) {
      return byDevice > 0 ? a : b;
    }
    // Rule 4: only for totality and symmetry.
    return RecordOrder.TOTAL.compare(a, b) >= 0 ? a : b;
  }

  // A tie must be an equivalence (see withTieWindow): times rounded to the window tie.
  private long rounded(long nanos) {
    return tieWindowNanos == 0 ? nanos : Math.floorDiv(nanos + tieWindowNanos / 2, tieWindowNanos);
  }

  private static long timeOf(FileRecord r) {
    return r.deleted() ? r.deletedAtNanos() : r.modifiedNanos();
  }

  @Override
  public String toString() {
    return "NewestWinsResolver[tieWindow=" + tieWindow + "]";
  }
}
