package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.NameProblem;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The CLI's log lines, built from events: what a person reads at INFO, and what moves to DEBUG. */
class EventLogTest {

  private static final DeviceId ALPHA = DeviceId.fromName("alpha");
  private static final DeviceId BETA = DeviceId.fromName("beta");

  @TempDir
  Path folder;

  private final ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EventLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final long[] now = {0};
  private EventLog events;

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false); // captured here, not printed
    events = new EventLog(folder, Map.of(BETA.toString(), "beta"), () -> now[0]);
    events.onEvent(new SyncEvent.PeerConnected(ALPHA, "alpha"));
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  private List<String> at(Level level) {
    return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aRoundOfManyFilesIsOneLineAndEachFileIsDebug() throws Exception {
    for (int i = 0; i < 800; i++) {
      Path f = Files.createDirectories(folder.resolve("notes")).resolve("n" + i + ".md");
      Files.write(f, new byte[1024]);
      events.onEvent(new SyncEvent.FileUpdated(RelativePath.of("notes/n" + i + ".md"), ALPHA, 1024, 0));
    }
    now[0] = 2_000_000_000L;
    events.onEvent(new SyncEvent.Progress(800, 800 * 1024, 0, 0));

    assertThat(at(Level.INFO)).containsExactly("connected to alpha (" + ALPHA.shortId() + ")",
        "received 800 files (800 KiB) from alpha in 2 s");
    assertThat(at(Level.DEBUG)).hasSize(800).first().isEqualTo("received notes/n0.md (1.00 KiB) from alpha");
  }

  @Test
  void aSingleFileIsNamedAndDeletesAreSummedUpToo() throws Exception {
    Files.writeString(folder.resolve("plan.md"), "x".repeat(2000));
    events.onEvent(new SyncEvent.FileUpdated(RelativePath.of("plan.md"), ALPHA, 500, 1500));
    events.onEvent(new SyncEvent.FileDeleted(RelativePath.of("a.md"), ALPHA));
    events.onEvent(new SyncEvent.FileDeleted(RelativePath.of("b.md"), ALPHA));
    events.onEvent(new SyncEvent.Progress(3, 2000, 0, 0));
    assertThat(at(Level.INFO)).containsSubsequence("received plan.md (1.95 KiB, 500 B transferred) from alpha",
        "deleted 2 paths (deleted on alpha)");
  }

  @Test
  void aConnectionIsNewsOnlyWhenItsStateChanges() {
    events.onEvent(new SyncEvent.PeerDisconnected(ALPHA, DisconnectReason.REPLACED, "DUPLICATE_CONNECTION: preferred"));
    events.onEvent(new SyncEvent.PeerConnected(ALPHA, "alpha"));
    events.onEvent(new SyncEvent.PeerDisconnected(ALPHA, DisconnectReason.CLOSED, "peer closed: SHUTDOWN: device shutting down"));
    events.onEvent(new SyncEvent.PeerUnreachable(Optional.of(ALPHA), "alpha.lan:7777", DisconnectReason.REFUSED,
        "connection refused"));
    assertThat(at(Level.INFO)).containsExactly("connected to alpha (" + ALPHA.shortId() + ")",
        "disconnected from alpha: it closed the connection (peer closed: SHUTDOWN: device shutting down)",
        "cannot connect to alpha.lan:7777 (alpha): nothing listens there (connection refused): is jsync running"
            + " there, on that port? Retrying with a growing delay");
  }

  @Test
  void aWrongSecretIsAWarningThatSaysSo() {
    events.onEvent(new SyncEvent.PeerUnreachable(Optional.empty(), "100.90.1.9", DisconnectReason.AUTHENTICATION_FAILED,
        "its key confirmation does not match"));
    assertThat(at(Level.WARN)).singleElement().asString().startsWith("authentication failed with 100.90.1.9: it was"
        + " given another secret");
  }

  @Test
  void aConflictIsOneLineOnEachSideSayingWhichVersionIsWhere() throws Exception {
    RelativePath copy = RelativePath.of("notes/n3.md.conflict-20261124-101512-k3j5x2a.bak");
    // The losing side: its version moved to the copy.
    events.onEvent(new SyncEvent.ConflictCopyCreated(RelativePath.of("notes/n3.md"), copy, ALPHA));
    // The winning side: the peer's losing version arrives as the copy.
    Files.createDirectories(folder.resolve("notes"));
    Files.writeString(folder.resolve(copy.toString()), "theirs");
    events.onEvent(new SyncEvent.FileUpdated(copy, ALPHA, 6, 0));
    events.onEvent(new SyncEvent.Progress(1, 6, 0, 0));
    assertThat(at(Level.WARN)).containsExactly(
        "conflict on notes/n3.md: alpha's version is now at notes/n3.md; this device's version was moved to " + copy,
        "conflict on notes/n3.md: this device's version stays at notes/n3.md; alpha's version is kept as " + copy);
    assertThat(at(Level.INFO)).as("no misleading 'received' line for the copy").hasSize(1);
  }

  @Test
  void mergesNotMadeNamesAndIndexRecoveriesAreOneInfoLineEach() {
    RelativePath note = RelativePath.of("notes/x.md");
    events.onEvent(new SyncEvent.NotMerged(note, SyncEvent.NotMerged.Reason.OVERLAPPING_EDITS, "same lines"));
    events.onEvent(new SyncEvent.NotMerged(note, SyncEvent.NotMerged.Reason.FAILED, "merging failed: disk error"));
    events.onEvent(new SyncEvent.NameNormalized(RelativePath.of("caf\u00e9.md"), "cafe\u0301.md"));
    events.onEvent(new SyncEvent.RecordedAgain(RelativePath.of("made")));
    assertThat(at(Level.INFO)).containsExactly(
        "connected to alpha (" + ALPHA.shortId() + ")",
        "notes/x.md: concurrent edits not merged (they change the same lines); one version is kept as a conflict copy",
        "notes/x.md: concurrent edits not merged (merging failed: disk error); one version is kept as a conflict copy",
        "renamed caf\u00e9.md on disk to the composed Unicode form (NFC) of its name, under which every device syncs it;"
            + " it looks the same",
        "made: recorded in the index after all (writing it there had failed)");
  }

  @Test
  void nameProblemsAreWarnings() {
    NameProblem clash = new NameProblem(RelativePath.of("Note.md"), Optional.of(RelativePath.of("note.md")),
        "a case variant of a name already here");
    events.onEvent(new SyncEvent.NameRefused(clash));
    events.onEvent(new SyncEvent.NameNotPortable(RelativePath.of("con.md"), "'con.md' is a reserved device name"));
    assertThat(at(Level.WARN)).containsExactly(clash.line(),
        "con.md: Windows peers cannot hold this name ('con.md' is a reserved device name); they will report it and"
            + " leave it out");
  }

  @Test
  void aBadIgnorePatternIsNamedWithItsFileAndLineOnce() {
    SyncEvent.Error bad = new SyncEvent.Error(Optional.of(RelativePath.of(".jsyncignore")),
        SyncEvent.Error.Category.IGNORE_PATTERN, "line 3: the pattern '[abc' is malformed and ignores nothing",
        Optional.empty());
    events.onEvent(bad);
    events.onEvent(bad);
    assertThat(at(Level.WARN)).containsExactly(".jsyncignore: line 3: the pattern '[abc' is malformed and ignores nothing");
  }

  @Test
  void aLongScanHasAProgressLineUntilItEnds() {
    events.onEvent(new SyncEvent.ScanProgress(true, 1000, 40L << 20));
    assertThat(events.scanLine(now[0] + 1_000_000_000L, java.time.Duration.ofSeconds(2))).as("a short scan").isEmpty();
    now[0] += 2_500_000_000L;
    events.onEvent(new SyncEvent.ScanProgress(true, 3000, 120L << 20));
    assertThat(events.scanLine(now[0], java.time.Duration.ofSeconds(2))).contains("scanning: 3,000 changes, 120 MiB read");
    events.onEvent(new SyncEvent.ScanFinished(true, 3500, java.time.Duration.ofSeconds(3)));
    assertThat(events.scanLine(now[0], java.time.Duration.ofSeconds(2))).isEmpty();
    assertThat(at(Level.INFO)).contains("scanned " + folder + " in 3000 ms: 3,500 changes recorded");
  }

  @Test
  void noUserLineNamesAJavaClass() {
    events.onEvent(new SyncEvent.PeerUnreachable(Optional.empty(), "pi:7777", DisconnectReason.UNREACHABLE,
        "the name does not resolve"));
    events.onEvent(new SyncEvent.PeerDisconnected(ALPHA, DisconnectReason.LOST, "connection failed: Connection reset"));
    for (ILoggingEvent e : lines.list) {
      if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
        assertThat(e.getFormattedMessage()).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z][A-Za-z]+")
            .doesNotContain("Exception").doesNotContain("<unresolved>");
      }
    }
    assertThat(at(Level.INFO)).contains("cannot connect to pi:7777: no answer (the name does not resolve): the device"
        + " is off, asleep or out of reach. Retrying with a growing delay");
  }

  @Test
  void aMergedNoteIsOneLineNamingTheDevicesWhoseEditsItHolds() {
    DeviceId self = DeviceId.fromName("laptop");
    events = new EventLog(folder, Map.of(self.toString(), "laptop", BETA.toString(), "beta"), () -> now[0]);
    events.onEvent(new SyncEvent.PeerConnected(ALPHA, "desktop"));
    lines.list.clear();

    events.onEvent(new SyncEvent.FileMerged(RelativePath.of("notes/x.md"), self, ALPHA, ALPHA));
    // An edit relayed from a device never connected here: the name known from the last run.
    events.onEvent(new SyncEvent.FileMerged(RelativePath.of("notes/y.md"), BETA, ALPHA, ALPHA));

    assertThat(at(Level.INFO)).containsExactly("merged notes/x.md: edits from laptop and desktop",
        "merged notes/y.md: edits from beta and desktop");
  }
}
