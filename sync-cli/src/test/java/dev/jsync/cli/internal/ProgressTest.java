package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long S = 1_000_000_000L;

  @Test
  void aShortSyncShowsNothing() {
    Progress p = new Progress(Duration.ofSeconds(2));
    assertThat(p.update(0, 1, 100, 0, 0).line()).isEmpty();
    Progress.Reading done = p.update(S, 0, 0, 1, 100);
    assertThat(done.line()).isEmpty();
    assertThat(done.finished()).isEmpty();
  }

  @Test
  void aLongSyncShowsFilesBytesRateAndTimeLeftThenASummary() {
    Progress p = new Progress(Duration.ofSeconds(2));
    // Ten files already synced before this round: they do not count.
    p.update(0, 100, 100L << 20, 10, 5L << 20);
    Progress.Reading r = p.update(10 * S, 50, 50L << 20, 60, 55L << 20);
    assertThat(r.line()).contains("syncing: 50/100 files, 50.0 MiB/100 MiB, 5.00 MiB/s, ~10 s left");
    Progress.Reading end = p.update(20 * S, 0, 0, 110, 105L << 20);
    assertThat(end.line()).isEmpty();
    assertThat(end.finished()).contains("sync done: 100 files, 100 MiB in 20 s");
  }

  @Test
  void nothingDoneYetMeansTheTimeLeftIsUnknown() {
    Progress p = new Progress(Duration.ofSeconds(1));
    p.update(0, 3, 3000, 0, 0);
    assertThat(p.update(5 * S, 3, 3000, 0, 0).line()).hasValueSatisfying(l -> assertThat(l).endsWith("0 B/s, time left unknown"));
  }

  @Test
  void unitsReadNaturally() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.50 KiB");
    assertThat(Units.bytes(256L << 20)).isEqualTo("256 MiB");
    assertThat(Units.duration(Duration.ofSeconds(200))).isEqualTo("3 min 20 s");
    assertThat(Units.duration(Duration.ofMinutes(75))).isEqualTo("1 h 15 min");
    assertThat(Units.count(1, "file", "files")).isEqualTo("1 file");
    assertThat(Units.count(12345, "file", "files")).isEqualTo("12,345 files");
  }

  @Test
  void theProgressLineIsForAStandardErrorThatIsATerminal() {
    // The launcher's word wins.
    assertThat(ProgressConsole.stderrIsTerminal("false", Optional.of("/dev/pts/3"), () -> true)).isFalse();
    assertThat(ProgressConsole.stderrIsTerminal("true", Optional.of("/home/me/log"), () -> false)).isTrue();
    // `jsync ... 2>log` from a terminal: a console exists, but standard error is a file.
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.of("/home/me/log"), () -> true)).isFalse();
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.of("pipe:[123]"), () -> true)).isFalse();
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.of("/dev/pts/3"), () -> false)).isTrue();
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.of("/dev/tty1"), () -> false)).isTrue();
    // No /proc (macOS, Windows) and no launcher: the console is the best guess.
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.empty(), () -> true)).isTrue();
    assertThat(ProgressConsole.stderrIsTerminal(null, Optional.empty(), () -> false)).isFalse();
  }

  @Test
  void underTheTestRunnerStandardErrorIsNoTerminal() {
    assertThat(ProgressConsole.isTerminal()).isFalse();
  }
}
