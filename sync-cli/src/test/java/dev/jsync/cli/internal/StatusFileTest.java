package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {

  @TempDir
  Path dir;

  static StatusSnapshot sample(Instant at, boolean connected) {
    return new StatusSnapshot(at, 4242, Optional.of(Instant.parse("2026-11-24T08:00:00Z")), "/home/me/Notes",
        "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", "laptop", "*:7777", List.of("pi:7777"), 17,
        connected ? 0 : 3, connected,
        List.of(new StatusSnapshot.Peer("qrstuvwxyz234567abcdefghijklmnopqrstuvwxyz234567abcd", "pi", connected,
            connected ? 0 : 3, connected ? 0 : 1_500_000, connected,
            Optional.of(Instant.parse("2026-11-24T08:00:02Z")), connected ? "" : "wrong secret",
            connected ? "" : "its key confirmation does not match")),
        List.of(), 0, connected ? List.of() : List.of(new StatusSnapshot.Unreached("desktop:7777", "", "refused",
            "connection refused")));
  }

  @Test
  void writtenAndReadBack() throws Exception {
    StatusSnapshot s = sample(Instant.parse("2026-11-24T10:15:30.123456Z"), true);
    StatusFile.write(dir, s);
    assertThat(StatusFile.read(dir)).contains(s);
    assertThat(dir.resolve("status.json.tmp")).doesNotExist();
    assertThat(Files.readString(dir.resolve("status.json"))).contains("\"shortId\": \"qrstuvw\"");
  }

  @Test
  void nameProblemsAreWrittenAndReadBackAndAnEarlierFileWithoutThemReads() throws Exception {
    StatusSnapshot base = sample(Instant.parse("2026-11-24T10:15:30Z"), true);
    StatusSnapshot s = new StatusSnapshot(base.updated(), base.pid(), base.processStart(), base.folder(),
        base.deviceId(), base.deviceName(), base.listen(), base.targets(), base.localSequence(), base.filesNeeded(),
        base.inSync(), base.peers(), List.of("not synced here: 'con.md' cannot be held on this platform"));
    StatusFile.write(dir, s);
    assertThat(StatusFile.read(dir)).contains(s);

    String json = Files.readString(dir.resolve("status.json"));
    Files.writeString(dir.resolve("status.json"), json.replaceAll("(?s),\\s*\"nameProblems\"\\s*:\\s*\\[[^]]*]", ""));
    assertThat(Files.readString(dir.resolve("status.json"))).doesNotContain("nameProblems");
    assertThat(StatusFile.read(dir)).hasValueSatisfying(r -> assertThat(r.nameProblems()).isEmpty());
  }

  @Test
  void mergesAreCountedAndAFileWithoutTheCountReadsAsNone() throws Exception {
    StatusSnapshot plain = sample(Instant.parse("2026-11-24T10:15:30Z"), true);
    StatusSnapshot merged = new StatusSnapshot(plain.updated(), plain.pid(), plain.processStart(), plain.folder(),
        plain.deviceId(), plain.deviceName(), plain.listen(), plain.targets(), plain.localSequence(),
        plain.filesNeeded(), plain.inSync(), plain.peers(), 2L);
    StatusFile.write(dir, merged);
    assertThat(Files.readString(dir.resolve("status.json"))).contains("\"filesMerged\": 2");
    assertThat(StatusFile.read(dir)).contains(merged);
    assertThat(merged.sameStateAs(plain)).isFalse();
    // A status file an older jsync wrote has no count.
    Files.writeString(dir.resolve("status.json"),
        Files.readString(dir.resolve("status.json")).replaceAll(",\\s*\"filesMerged\"\\s*:\\s*2", ""));
    assertThat(StatusFile.read(dir)).contains(plain);
    assertThat(StatusReport.format(merged, true, merged.updated()))
        .contains("merged concurrent edits of 2 notes since the node started, with no conflict copy");
    assertThat(StatusReport.format(plain, true, plain.updated())).doesNotContain("merged");
  }

  @Test
  void aLinkPlacedAtTheTempNameIsNotFollowed() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "precious");
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.createSymbolicLink(state.resolve("status.json.tmp"), outside);
    StatusSnapshot s = sample(Instant.parse("2026-11-24T10:15:30Z"), true);

    StatusFile.write(state, s);

    assertThat(Files.readString(outside)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(state.resolve("status.json"))).isFalse();
    assertThat(StatusFile.read(state)).contains(s);
    assertThat(state.resolve("status.json.tmp")).doesNotExist();
  }

  @Test
  void theStatusFileIsOwnerOnlyWhateverTheUmaskAndAStaleTempFileIsReplaced() throws Exception {
    Files.writeString(dir.resolve("status.json.tmp"), "left by a killed node");
    StatusSnapshot s = sample(Instant.parse("2026-11-24T10:15:30Z"), false);
    StatusFile.write(dir, s);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("status.json"))))
        .isEqualTo("rw-------");
    assertThat(StatusFile.read(dir)).contains(s);
  }

  @Test
  void textThatNeedsEscapingRoundTrips() throws Exception {
    StatusSnapshot plain = sample(Instant.parse("2026-11-24T10:15:30Z"), true);
    String folder = "/home/me/caf\u00e9 \"quoted\" \\ back\nslash\t\u0001 \ud83d\udcdd";
    StatusSnapshot s = new StatusSnapshot(plain.updated(), plain.pid(), Optional.empty(), folder, plain.deviceId(),
        "name \"with\" quotes", plain.listen(), List.of(), Long.MAX_VALUE, 0, true, plain.peers(), plain.nameProblems(),
        plain.filesMerged(), plain.unreached());
    StatusFile.write(dir, s);
    assertThat(StatusFile.read(dir)).contains(s);
  }

  @Test
  void brokenTextIsAnErrorNamingTheFile() throws Exception {
    for (String bad : new String[] {"", "{", "{\"format\" 1}", "[1,]", "\"open", "tru", "{} x", "{1:2}", "[]",
        "{\"format\": 1.5}", "{\"format\": 99999999999999999999}"}) {
      Files.writeString(dir.resolve("status.json"), bad);
      assertThatThrownBy(() -> StatusFile.read(dir)).as(bad).isInstanceOf(IOException.class)
          .hasMessageStartingWith(dir.resolve("status.json") + ": ");
    }
  }

  @Test
  void whyAPeerIsNotConnectedRoundTrips() throws Exception {
    StatusSnapshot s = sample(Instant.parse("2026-11-24T10:15:30Z"), false);
    StatusFile.write(dir, s);
    assertThat(StatusFile.read(dir)).contains(s);
    assertThat(Files.readString(dir.resolve("status.json"))).contains("\"problem\": \"wrong secret\"",
        "\"address\": \"desktop:7777\"");
  }

  @Test
  void aFileWithoutTheNewerFieldsIsStillRead() throws Exception {
    StatusFile.write(dir, sample(Instant.parse("2026-11-24T10:15:30Z"), true));
    String older = Files.readString(dir.resolve("status.json")).replaceAll(",\\s*\"problem(Detail)?\": \"[^\"]*\"", "")
        .replaceAll(",\\s*\"unreached\": \\[\\s*\\]", "");
    assertThat(older).doesNotContain("problem").doesNotContain("unreached");
    Files.writeString(dir.resolve("status.json"), older);
    assertThat(StatusFile.read(dir)).contains(sample(Instant.parse("2026-11-24T10:15:30Z"), true));
  }

  @Test
  void noFileMeansNoStatus() throws Exception {
    assertThat(StatusFile.read(dir)).isEmpty();
  }

  @Test
  void aFileOfAnotherFormatIsAnError() throws Exception {
    Files.writeString(dir.resolve("status.json"), "{\"format\": 2}");
    assertThatThrownBy(() -> StatusFile.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("format 2");
    Files.writeString(dir.resolve("status.json"), "garbage");
    assertThatThrownBy(() -> StatusFile.read(dir)).isInstanceOf(IOException.class);
  }

  @Test
  void onlyTheTimeChangingIsNoChange() {
    StatusSnapshot a = sample(Instant.parse("2026-11-24T10:00:00Z"), true);
    assertThat(a.sameStateAs(sample(Instant.parse("2026-11-24T11:00:00Z"), true))).isTrue();
    assertThat(a.sameStateAs(sample(Instant.parse("2026-11-24T10:00:00Z"), false))).isFalse();
    assertThat(a.sameStateAs(null)).isFalse();
  }
}
