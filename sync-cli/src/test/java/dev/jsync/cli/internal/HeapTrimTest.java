package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  @Test
  void collectsAndPutsTheHeapFreeRatiosBack() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
    String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    long collections = collections();
    HeapTrim.collect();
    assertThat(collections()).isGreaterThan(collections);
    assertThat(hotspot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
    assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
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
