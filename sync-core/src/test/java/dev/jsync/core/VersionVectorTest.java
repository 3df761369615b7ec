package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionVectorTest {

  private final DeviceId a = DeviceId.fromName("a");
  private final DeviceId b = DeviceId.fromName("b");

  @Test
  void absentCountsAsZeroAndZerosAreDropped() {
    VersionVector v = VersionVector.of(Map.of(a, 2L, b, 0L));
    assertThat(v.get(b)).isZero();
    assertThat(v.size()).isEqualTo(1);
    assertThat(v).isEqualTo(VersionVector.empty().increment(a).increment(a));
  }

  @Test
  void comparesAsExpected() {
    VersionVector one = VersionVector.empty().increment(a);
    VersionVector two = one.increment(b);
    assertThat(one.compare(two)).isEqualTo(Causality.BEFORE);
    assertThat(two.compare(one)).isEqualTo(Causality.AFTER);
    assertThat(one.increment(a).compare(two)).isEqualTo(Causality.CONCURRENT);
    assertThat(VersionVector.empty().compare(VersionVector.empty())).isEqualTo(Causality.EQUAL);
  }

  @Test
  void rejectsNegativeCounters() {
    assertThatThrownBy(() -> VersionVector.of(Map.of(a, -1L))).hasMessageContaining("counter must be >= 0");
  }

  @Test
  void printsShortIds() {
    assertThat(VersionVector.empty().increment(a).toString()).isEqualTo("{" + a.shortId() + ":1}");
  }
}
