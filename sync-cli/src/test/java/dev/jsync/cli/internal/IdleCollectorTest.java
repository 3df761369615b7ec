package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleCollectorTest {

  private static final long S = 1_000_000_000L;
  private static final long QUIET = IdleCollector.QUIET.toNanos();

  @Test
  void collectsOnceAfterStartUpSettlesAndThenOnlyAfterNewActivity() {
    IdleCollector c = new IdleCollector();
    assertThat(c.update(0, 5)).isFalse();
    assertThat(c.update(QUIET - 1, 5)).isFalse();
    assertThat(c.update(QUIET, 5)).isTrue();
    // Idle for a long time: never again.
    for (long t = QUIET + S; t < 100 * QUIET; t += S) {
      assertThat(c.update(t, 5)).isFalse();
    }
  }

  @Test
  void activityPostponesTheCollectionUntilItHasStoodStillForTheQuietPeriod() {
    IdleCollector c = new IdleCollector();
    c.update(0, 1);
    assertThat(c.update(QUIET, 1)).isTrue();
    long t = 2 * QUIET;
    for (int sig = 2; sig < 20; sig++) {
      t += S; // busy: the signature changes every second
      assertThat(c.update(t, sig)).isFalse();
    }
    assertThat(c.update(t + QUIET - 1, 19)).isFalse();
    assertThat(c.update(t + QUIET, 19)).isTrue();
    assertThat(c.update(t + 2 * QUIET, 19)).isFalse();
  }

  @Test
  void isQuietOnlyOnceActivityHasStoodStillForTheQuietPeriod() {
    IdleCollector c = new IdleCollector();
    assertThat(c.quiet(100 * QUIET)).isFalse(); // nothing reported yet
    c.update(0, 1);
    assertThat(c.quiet(QUIET - 1)).isFalse();
    assertThat(c.quiet(QUIET)).isTrue();
    c.update(QUIET + S, 2); // work again
    assertThat(c.quiet(QUIET + 2 * S)).isFalse();
    c.update(2 * QUIET, 2); // the collection itself does not end the quiet countdown
    assertThat(c.quiet(2 * QUIET + S)).isTrue();
  }
}
