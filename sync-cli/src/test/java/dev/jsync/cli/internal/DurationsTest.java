package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void theFormsPeopleWrite() {
    assertThat(Durations.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("--x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("--x", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("--x", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("--x", "90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("--x", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("--x", " 10 S ")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("--x", "1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("--x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("--x", "1h 0m 5s")).isEqualTo(Duration.ofSeconds(3605));
    assertThat(Durations.parse("--x", "2s500ms")).isEqualTo(Duration.ofMillis(2500));
    assertThat(Durations.parse("--x", "1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("--x", "pt2m")).isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "", "-5s", "0", "1.5s", "5d", "30s1m", "1m1m", "m", "ms", "99999999999999999999s",
      "9223372036854775807h"})
  void anythingElseIsAUsageError(String text) {
    assertThatThrownBy(() -> Durations.parse("--scan-interval", text))
        .isInstanceOf(BadInvocation.class)
        .hasMessageStartingWith("--scan-interval '" + text + "'");
  }
}
