package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A file found changing scan after scan is looked at less and less often, up to the cap; once still, at once again. */
class GrowingFilesTest {

  private static final long QUIET = 100_000_000L;
  private static final long CAP = 60_000_000_000L;
  private final RelativePath log = RelativePath.of("app.log");

  @Test
  void theWaitDoublesUpToTheCapAndEndsWhenTheFileIsStill() {
    GrowingFiles growing = new GrowingFiles(QUIET, CAP);
    long now = 0;
    long[] waits = new long[12];
    for (int i = 0; i < waits.length; i++) {
      waits[i] = growing.stillChanging(log, now);
      assertThat(growing.deferred(log, now + waits[i] - 1)).isTrue();
      assertThat(growing.deferred(log, now + waits[i])).isFalse();
      now += waits[i];
    }
    assertThat(waits).startsWith(QUIET, 2 * QUIET, 4 * QUIET, 8 * QUIET);
    assertThat(waits[waits.length - 1]).isEqualTo(CAP);
    // Over the twelve looks, a file written continuously was hashed twelve times in about
    // three minutes, not once every quiet window (1,800 times).
    assertThat(now).isGreaterThan(120_000_000_000L);

    growing.settled(List.of(log));
    assertThat(growing.deferred(log, now)).isFalse();
    assertThat(growing.stillChanging(log, now)).as("starts over").isEqualTo(QUIET);
  }

  @Test
  void aFullScanEndsTheBackOffOfEveryFileItFoundStill() {
    GrowingFiles growing = new GrowingFiles(QUIET, CAP);
    RelativePath other = RelativePath.of("other.log");
    growing.stillChanging(log, 0);
    growing.stillChanging(other, 0);
    growing.retainOnly(List.of(other));
    assertThat(growing.deferred(log, 1)).isFalse();
    assertThat(growing.deferred(other, 1)).isTrue();
    assertThat(growing.size()).isEqualTo(1);
  }
}
