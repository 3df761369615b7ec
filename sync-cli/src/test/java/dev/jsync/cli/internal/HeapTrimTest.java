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
}
