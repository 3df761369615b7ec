package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  @Test
  void aTrimCollectsAndLeavesTheIdleRatiosUntilTheNodeIsBusyAgain() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
    String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    try {
      hotspot.setVMOption("MaxHeapFreeRatio", "70");
      hotspot.setVMOption("MinHeapFreeRatio", "40");
      HeapTrim trim = HeapTrim.create();
      trim.busy(); // nothing to put back yet
      assertThat(ratios(hotspot)).isEqualTo("40/70");
      long collections = collections();
      trim.collect();
      assertThat(collections()).isGreaterThan(collections);
      assertThat(trim.idle()).isTrue();
      assertThat(ratios(hotspot)).isEqualTo(HeapTrim.IDLE_MIN_FREE_PERCENT + "/" + HeapTrim.IDLE_MAX_FREE_PERCENT);
      trim.collect(); // from the idle ratios, again
      assertThat(ratios(hotspot)).isEqualTo(HeapTrim.IDLE_MIN_FREE_PERCENT + "/" + HeapTrim.IDLE_MAX_FREE_PERCENT);
      trim.busy();
      assertThat(trim.idle()).isFalse();
      assertThat(ratios(hotspot)).isEqualTo("40/70");
    } finally {
      hotspot.setVMOption("MinHeapFreeRatio", "0");
      hotspot.setVMOption("MaxHeapFreeRatio", max);
      hotspot.setVMOption("MinHeapFreeRatio", min);
    }
  }

  @Test
  void idleRatiosNeverExceedTheLaunchersOwn() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
    String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    try {
      hotspot.setVMOption("MinHeapFreeRatio", "10");
      hotspot.setVMOption("MaxHeapFreeRatio", "30");
      hotspot.setVMOption("MinHeapFreeRatio", "10");
      HeapTrim trim = HeapTrim.create();
      trim.collect();
      assertThat(ratios(hotspot)).isEqualTo("10/30");
      trim.busy();
      assertThat(ratios(hotspot)).isEqualTo("10/30");
    } finally {
      hotspot.setVMOption("MinHeapFreeRatio", "0");
      hotspot.setVMOption("MaxHeapFreeRatio", max);
      hotspot.setVMOption("MinHeapFreeRatio", min);
    }
  }

  private static String ratios(HotSpotDiagnosticMXBean hotspot) {
    return hotspot.getVMOption("MinHeapFreeRatio").getValue() + "/" + hotspot.getVMOption("MaxHeapFreeRatio").getValue();
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionCount()))
        .sum();
  }

  @Test
  void anotherTrimIsWorthItOnlyOnceTheHeapHasGrownByMoreThanTwoMibAndAnEighth() {
    long mib = 1L << 20;
    assertThat(HeapTrim.grownSince(16 * mib, 16 * mib)).isFalse();
    assertThat(HeapTrim.grownSince(18 * mib, 16 * mib)).isFalse(); // 2 MiB: not more than that
    assertThat(HeapTrim.grownSince(18 * mib + 1, 16 * mib)).isTrue();
    assertThat(HeapTrim.grownSince(36 * mib, 32 * mib)).isFalse(); // an eighth of 32 MiB is 4 MiB
    assertThat(HeapTrim.grownSince(36 * mib + 1, 32 * mib)).isTrue();
    assertThat(HeapTrim.grownSince(10 * mib, 0)).isTrue(); // never trimmed yet
  }
}
