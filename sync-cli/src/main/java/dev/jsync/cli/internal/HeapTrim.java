package dev.jsync.cli.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the heap for what the node is doing, through the heap's free-space ratios (manageable
 * flags of HotSpot, set through its diagnostic bean).
 *
 * <p>While data streams through, the launcher's ratios hold (40-70 % free: blocks in flight
 * outlive a young collection or two, and a tight heap turns them into one full collection
 * after another: at 20-40 % a 1 GiB transfer spends 2 s of its 7 in collections). Once the node
 * is idle, {@link #collect()} gives the heap it grew back to the system: one full collection
 * with the ceiling lowered to {@value #TRIM_MAX_FREE_PERCENT} % for its duration, after which
 * the idle ratios ({@value #IDLE_MIN_FREE_PERCENT}-{@value #IDLE_MAX_FREE_PERCENT} %, or the
 * launcher's if lower) hold until {@link #busy()} puts the launcher's back. Where the ratios
 * cannot be set (another JVM, a security policy) a trim is a plain {@link System#gc()}.
 *
 * <p>The serial collector shrinks by steps over several collections unless the launcher's
 * {@code -XX:-ShrinkHeapInSteps} lets it do so in one. Used from one thread (the status ticker).
 */
final class HeapTrim {

  private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);
  static final int TRIM_MAX_FREE_PERCENT = 10;
  static final int IDLE_MIN_FREE_PERCENT = 20;
  static final int IDLE_MAX_FREE_PERCENT = 40;

  /** Growth of the committed heap, past the size a trim left, that is worth another trim. */
  static final long WORTH_TRIMMING = 2L << 20;

  private final HotSpotDiagnosticMXBean hotspot; // null where the ratios cannot be read
  private final int busyMin;
  private final int busyMax;
  private boolean idleRatios;

  private HeapTrim(HotSpotDiagnosticMXBean hotspot, int busyMin, int busyMax) {
    this.hotspot = hotspot;
    this.busyMin = busyMin;
    this.busyMax = busyMax;
  }

  /** Reads the ratios the JVM was started with: those hold while the node is busy. */
  static HeapTrim create() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      int min = Integer.parseInt(hotspot.getVMOption("MinHeapFreeRatio").getValue());
      int max = Integer.parseInt(hotspot.getVMOption("MaxHeapFreeRatio").getValue());
      return new HeapTrim(hotspot, min, max);
    } catch (RuntimeException | LinkageError e) {
      log.debug("heap free ratios not adjustable here ({}): trims are plain collections", e.toString());
      return new HeapTrim(null, 0, 100);
    }
  }

  /**
   * Whether a heap now committing {@code committedNow} bytes has grown enough since a trim left it
   * at {@code committedAfterTrim} to be trimmed again: by more than 2 MiB and an eighth.
   */
  static boolean grownSince(long committedNow, long committedAfterTrim) {
    return committedNow > committedAfterTrim + Math.max(WORTH_TRIMMING, committedAfterTrim / 8);
  }

  /** One full collection that shrinks the heap to its live data and a little; then the idle ratios. */
  void collect() {
    boolean lowered = hotspot != null && set(0, TRIM_MAX_FREE_PERCENT);
    try {
      System.gc();
    } finally {
      if (lowered) {
        idleRatios = set(Math.min(busyMin, IDLE_MIN_FREE_PERCENT), Math.min(busyMax, IDLE_MAX_FREE_PERCENT));
      }
    }
  }

  /** Puts the launcher's ratios back if the idle ones hold: data is about to stream through. */
  void busy() {
    if (idleRatios) {
      idleRatios = !set(busyMin, busyMax);
    }
  }

  /** Whether the idle ratios hold now (for tests and logs). */
  boolean idle() {
    return idleRatios;
  }

  private boolean set(int min, int max) {
    try {
      int currentMin = Integer.parseInt(hotspot.getVMOption("MinHeapFreeRatio").getValue());
      // HotSpot keeps min <= max at every step: going down, min first; going up, max first.
      if (min < currentMin) {
        hotspot.setVMOption("MinHeapFreeRatio", Integer.toString(min));
        hotspot.setVMOption("MaxHeapFreeRatio", Integer.toString(max));
      } else {
        hotspot.setVMOption("MaxHeapFreeRatio", Integer.toString(max));
        hotspot.setVMOption("MinHeapFreeRatio", Integer.toString(min));
      }
      return true;
    } catch (RuntimeException e) {
      log.debug("cannot set the heap free ratios to {}/{}: {}", min, max, e.toString());
      return false;
    }
  }
}
