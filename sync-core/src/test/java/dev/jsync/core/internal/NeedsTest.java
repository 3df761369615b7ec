package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import org.junit.jupiter.api.Test;

/** The need queues' per-peer totals, as the status shows them. */
class NeedsTest {

  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final DeviceId PI = DeviceId.fromName("pi");

  @Test
  void totalsFollowEachNeedToItsCurrentPeerAndSize() {
    Needs needs = new Needs();
    needs.put(RelativePath.of("a"), LAPTOP, 10, false, false, 0);
    needs.put(RelativePath.of("b"), LAPTOP, 5, false, false, 0);
    needs.put(RelativePath.of("b"), PI, 7, false, false, 0);

    assertThat(needs.totals(LAPTOP)).isEqualTo(new Needs.Totals(1, 10));
    assertThat(needs.totals(PI)).isEqualTo(new Needs.Totals(1, 7));

    needs.remove(RelativePath.of("a"));
    assertThat(needs.totals(LAPTOP)).isEqualTo(new Needs.Totals(0, 0));
    assertThat(needs.totals(DeviceId.fromName("nobody"))).isEqualTo(new Needs.Totals(0, 0));
    assertThat(needs.size()).isEqualTo(1);
  }
}
