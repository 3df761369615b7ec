package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TombstonePolicyTest {

  private static final DeviceId ME = DeviceId.fromName("me");
  private static final DeviceId PEER = DeviceId.fromName("peer");
  private static final Instant DELETED = Instant.parse("2026-10-01T00:00:00Z");

  private final FileRecord file = Gen.fileWith("x", new byte[] {1}, 1, false, VersionVector.empty().increment(ME), ME);
  private final FileRecord tombstone = file.toTombstone(file.version().increment(ME), ME,
      DELETED.getEpochSecond() * 1_000_000_000L);

  @Test
  void forgottenOnlyWhenOldAndAcknowledgedByEveryPeer() {
    TombstonePolicy policy = TombstonePolicy.defaults();
    Instant later = DELETED.plus(Duration.ofDays(31));
    assertThat(policy.canForget(tombstone, later, Map.of(PEER, Optional.of(tombstone)))).isTrue();
    assertThat(policy.canForget(tombstone, DELETED.plus(Duration.ofDays(29)), Map.of(PEER, Optional.of(tombstone))))
        .as("too young").isFalse();
    assertThat(policy.canForget(tombstone, later, Map.of(PEER, Optional.empty())))
        .as("peer never heard of it").isFalse();
    assertThat(policy.canForget(tombstone, later, Map.of(PEER, Optional.of(file))))
        .as("peer still has the file").isFalse();
    assertThat(policy.canForget(file, later, Map.of())).as("not a tombstone").isFalse();
  }

  @Test
  void retentionIsASetting() {
    TombstonePolicy policy = TombstonePolicy.withRetention(Duration.ofDays(1));
    assertThat(policy.canForget(tombstone, DELETED.plus(Duration.ofDays(2)), Map.of())).isTrue();
  }
}
