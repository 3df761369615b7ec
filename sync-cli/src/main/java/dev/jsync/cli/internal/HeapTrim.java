package dev.jsync.cli.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a sync grew back to the system once the node is idle: one full collection
 * with the heap's free-space ceiling lowered for its duration, so the collector shrinks the heap
 * to its live data plus {@value #IDLE_MAX_FREE_PERCENT} % instead of plus the 40 % the launcher
 * allows while data streams through (a ceiling that low during a transfer costs full
 * collections; while idle it costs nothing). The ratios are manageable flags of HotSpot, set
 * through its diagnostic bean and put back right after. Where they cannot be set (another JVM,
 * a security policy) it is a plain {@link System#gc()}.
 *
 * <p>The serial collector shrinks by steps over several collections unless the launcher's
 * {@code -XX:-ShrinkHeapInSteps} lets it do so in one. Called from one thread (the status ticker).
 */
final class HeapTrim {

  private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);
  static final int IDLE_MAX_FREE_PERCENT = 10;

  private HeapTrim() {
  }

  /** Growth of the committed heap, past the size a trim left, that is worth another trim. */
  static final long WORTH_TRIMMING = 2L << 20;

  /**
   * Whether a heap now committing {@code committedNow} bytes has grown enough since a trim left it
   * at {@code committedAfterTrim} to be trimmed again: by more than 2 MiB and an eighth.
   */
  static boolean grownSince(long committedNow, long committedAfterTrim) {
    return committedNow > committedAfterTrim + Math.max(WORTH_TRIMMING, committedAfterTrim / 8);
  }

  static void collect() {
    HotSpotDiagnosticMXBean hotspot;
    String min;
    String max;
    try {
      hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
      max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    } catch (RuntimeException | LinkageError e) {
      log.debug("heap free ratios not adjustable here ({}): a plain collection", e.toString());
      System.gc();
      return;
    }
    boolean lowered = false;
    try {
      // Min before max going down, max before min going up: HotSpot keeps min <= max at every step.
      hotspot.setVMOption("MinHeapFreeRatio", "0");
      hotspot.setVMOption("MaxHeapFreeRatio", Integer.toString(IDLE_MAX_FREE_PERCENT));
      lowered = true;
    } catch (RuntimeException e) {
      log.debug("cannot lower the heap free ratios ({}): a plain collection", e.toString());
    }
    try {
      System.gc();
    } finally {
      if (lowered) {
        restore(hotspot, max, min);
      }
    }
  }

  private static void restore(HotSpotDiagnosticMXBean hotspot, String max, String min) {
    try {
      hotspot.setVMOption("MaxHeapFreeRatio", max);
      hotspot.setVMOption("MinHeapFreeRatio", min);
    } catch (RuntimeException e) {
      log.warn("could not restore the heap free ratios ({}/{}): {}", min, max, e.toString());
    }
  }
}
