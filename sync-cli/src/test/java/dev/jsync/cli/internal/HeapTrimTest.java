package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
  private String launchMin;
  private String launchMax;

  @BeforeEach
  void rememberTheRatios() {
    launchMin = hotspot.getVMOption("MinHeapFreeRatio").getValue();
    launchMax = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
  }

  @AfterEach
  void putTheRatiosBack() {
    hotspot.setVMOption("MinHeapFreeRatio", "0");
    hotspot.setVMOption("MaxHeapFreeRatio", launchMax);
    hotspot.setVMOption("MinHeapFreeRatio", launchMin);
  }

  @Test
  void aTrimCollectsAndLeavesTheIdleRatiosUntilTheNodeIsBusyAgain() {
    hotspot.setVMOption("MaxHeapFreeRatio", "70");
    hotspot.setVMOption("MinHeapFreeRatio", "40");
    HeapTrim trim = HeapTrim.create();
    trim.busy(); // nothing to put back yet
    assertThat(ratios()).isEqualTo("40/70");
    long collections = collections();
    trim.collect();
    assertThat(collections()).isGreaterThan(collections);
    assertThat(trim.idle()).isTrue();
    assertThat(ratios()).isEqualTo(HeapTrim.IDLE_MIN_FREE_PERCENT + "/" + HeapTrim.IDLE_MAX_FREE_PERCENT);
    trim.collect(); // from the idle ratios, again
    assertThat(ratios()).isEqualTo(HeapTrim.IDLE_MIN_FREE_PERCENT + "/" + HeapTrim.IDLE_MAX_FREE_PERCENT);
    trim.busy();
    assertThat(trim.idle()).isFalse();
    assertThat(ratios()).isEqualTo("40/70");
  }

  @Test
  void idleRatiosNeverExceedTheLaunchersOwn() {
    hotspot.setVMOption("MinHeapFreeRatio", "10");
    hotspot.setVMOption("MaxHeapFreeRatio", "30");
    hotspot.setVMOption("MinHeapFreeRatio", "10");
    HeapTrim trim = HeapTrim.create();
    trim.collect();
    assertThat(ratios()).isEqualTo("10/30");
    trim.busy();
    assertThat(ratios()).isEqualTo("10/30");
  }

  private String ratios() {
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
