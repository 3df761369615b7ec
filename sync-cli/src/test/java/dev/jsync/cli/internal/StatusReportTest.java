package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");

  @Test
  void aRunningNodeInSync() {
    String text = StatusReport.format(StatusFileTest.sample(AT, true), true, AT.plusSeconds(12));
    assertThat(text).startsWith("jsync is running on /home/me/Notes (pid 4242) as laptop (abcdefg), listening on"
        + " *:7777\nin sync with every peer (last change ");
    assertThat(text).contains("12 s ago)").containsPattern("(?m)^  pi +qrstuvw +yes +nothing +yes$");
  }

  @Test
  void aRunningNodeBehind() {
    String text = StatusReport.format(StatusFileTest.sample(AT, false), true, AT);
    assertThat(text).contains("not in sync: 3 paths to fetch")
        .containsPattern("(?m)^  pi +qrstuvw +no \\(wrong secret\\) +3 files, 1\\.43 MiB +no$")
        .contains("cannot connect to desktop:7777: refused (connection refused)\n");
  }

  @Test
  void aStoppedNodeShowsItsLastKnownStatusAndNoLiveConnections() {
    String text = StatusReport.format(StatusFileTest.sample(AT, true), false, AT.plusSeconds(3600));
    assertThat(text).startsWith("jsync is NOT running on /home/me/Notes (last run: pid 4242")
        .contains("not in sync: 1 peer is not connected").contains("1 h ago")
        .containsPattern("(?m)^  pi +qrstuvw +no +nothing +no$");
  }

  @Test
  void noPeerYet() {
    StatusSnapshot s = new StatusSnapshot(AT, 1, Optional.empty(), "/f", "abcdefg", "me", "*:7777",
        List.of("pi:7777"), 0, 0, false, List.of(), List.of(), 0,
        List.of(new StatusSnapshot.Unreached("pi:7777", "", "wrong secret",
            "it rejected our proof")));
    assertThat(StatusReport.format(s, true, AT)).contains("no peer has connected yet; dialing pi:7777\n"
        + "cannot connect to pi:7777: wrong secret (it rejected our proof)\n");
  }

  @Test
  void conflictCopiesAreCountedAndListedWhenVerbose() {
    List<String> copies = List.of("notes/a.md.conflict-20261124-101512-k3j5x2a.bak",
        "b.md.conflict-20261124-101513-k3j5x2a.bak");
    assertThat(StatusReport.conflictCopies(List.of(), false)).isEqualTo("no conflict copies\n");
    assertThat(StatusReport.conflictCopies(copies, false))
        .isEqualTo("2 conflict copies in the folder (jsync status --verbose lists them)\n");
    assertThat(StatusReport.conflictCopies(copies, true)).isEqualTo("2 conflict copies in the folder:\n  "
        + copies.get(0) + "\n  " + copies.get(1) + "\n");
  }

  @Test
  void pathsThisDiskCannotHoldAreListedOneLineEach() {
    StatusSnapshot base = StatusFileTest.sample(AT, true);
    String line = "not synced here: 'Note.md' and 'note.md' differ only in case, one name on this disk;"
        + " 'note.md' is kept";
    StatusSnapshot s = new StatusSnapshot(base.updated(), base.pid(), base.processStart(), base.folder(),
        base.deviceId(), base.deviceName(), base.listen(), base.targets(), base.localSequence(), base.filesNeeded(),
        base.inSync(), base.peers(), List.of(line));
    assertThat(StatusReport.format(s, true, AT)).contains("in sync with every peer")
        .contains("1 path of the peers' this folder's file system cannot hold").containsPattern("(?m)^  " +
            java.util.regex.Pattern.quote(line) + "$");
    assertThat(StatusReport.format(base, true, AT)).doesNotContain("cannot hold");
  }
}
