package dev.jsync.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionStoreTest {

  @TempDir
  Path folder;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));

  private VersionStore store(Retention r) {
    return VersionStore.open(folder.resolve(".jsync"), folder, r, clock);
  }

  /**
   * Writes a file as the engine and most editors do: a new file renamed over the old one, so an
   * inode the store linked is never written again.
   */
  private Path write(String rel, String content) throws IOException {
    Path p = folder.resolve(rel);
    Files.createDirectories(p.getParent());
    Path temp = p.resolveSibling(".jsync-tmp-" + Thread.currentThread().getId());
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return p;
  }

  private void replace(Path file, String content) throws IOException {
    write(folder.relativize(file).toString(), content);
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static String read(VersionStore s, Version v) throws IOException {
    return Files.readString(s.content(v), StandardCharsets.UTF_8);
  }

  @Test
  void aStoreLeavesNoLockBehindInTheJvmOnceItsWritersAreDone() throws Exception {
    // Many stores come and go in one JVM (a simulation makes five per schedule, on in-memory
    // file systems): a lock kept per folder for good would keep every one of them alive.
    int before = StoreFolder.jvmLocksInUse();
    for (int i = 0; i < 3; i++) {
      VersionStore s = VersionStore.open(folder.resolve("state-" + i), folder, Retention.defaults(), clock);
      Path file = write("n" + i + ".md", "text " + i);
      s.keep(RelativePath.of("n" + i + ".md"), file, Version.Reason.REPLACED, "laptop").orElseThrow();
      s.sweep();
    }

    assertThat(StoreFolder.jvmLocksInUse()).isEqualTo(before);
  }

  @Test
  void keepsTheReplacedContentByItsSha256WithItsMetadata() throws Exception {
    VersionStore s = store(Retention.defaults());
    Path file = write("notes/plan.md", "first draft");
    Version v = s.keep(RelativePath.of("notes/plan.md"), file, Version.Reason.REPLACED, "laptop").orElseThrow();
    // Zero-copy: the store holds the old inode itself, taken before the replacing rename.
    assertThat(Files.isSameFile(s.content(v), file)).isTrue();
    replace(file, "second draft");

    assertThat(read(s, v)).isEqualTo("first draft");
    assertThat(v.sha256()).isEqualTo(sha256("first draft"));
    assertThat(v.size()).isEqualTo(11);
    assertThat(v.time()).isEqualTo(clock.instant());
    assertThat(v.by()).isEqualTo("laptop");
    assertThat(s.content(v).getFileName().toString()).isEqualTo(v.sha256());
    // A second store instance (another process: the CLI) reads the same record.
    assertThat(store(Retention.defaults()).list()).containsExactly(v);
    assertThat(store(Retention.defaults()).find(v.id())).contains(v);
  }

  @Test
  void aConflictLoserIsCopiedNotLinkedSinceItsConflictCopyStaysInTheFolder() throws Exception {
    VersionStore s = store(Retention.defaults());
    Path file = write("a.md", "loser");
    Version v = s.keep(RelativePath.of("a.md"), file, Version.Reason.CONFLICT, "desktop").orElseThrow();
    assertThat(Files.isSameFile(s.content(v), file)).isFalse();
    Files.writeString(file, "edited in place afterwards"); // an editor writing the conflict copy in place
    assertThat(read(s, v)).isEqualTo("loser");
  }

  @Test
  void identicalContentIsStoredOnceAndCountedOnce() throws Exception {
    VersionStore s = store(Retention.defaults());
    Version a = s.keep(RelativePath.of("a.md"), write("a.md", "same"), Version.Reason.DELETED, "x").orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    Version b = s.keep(RelativePath.of("b.md"), write("b.md", "same"), Version.Reason.DELETED, "x").orElseThrow();
    assertThat(a.sha256()).isEqualTo(b.sha256());
    assertThat(s.list()).containsExactly(b, a); // newest first
    assertThat(s.summary()).isEqualTo(new VersionStore.Summary(2, 4, Optional.of(a.time())));
    try (Stream<Path> objects = Files.walk(s.directory().resolve("objects"))) {
      assertThat(objects.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }

  @Test
  void versionsOlderThanTheAgeLimitGoOldestFirst() throws Exception {
    VersionStore s = store(Retention.defaults().withMaxAge(Duration.ofDays(30)));
    Version old = s.keep(RelativePath.of("a.md"), write("a.md", "old"), Version.Reason.REPLACED, "x").orElseThrow();
    clock.advance(Duration.ofDays(20));
    Version mid = s.keep(RelativePath.of("a.md"), write("a.md", "mid"), Version.Reason.REPLACED, "x").orElseThrow();
    clock.advance(Duration.ofDays(11));
    s.sweep();
    assertThat(s.list()).containsExactly(mid);
    assertThat(Files.exists(s.content(old))).isFalse();
  }

  @Test
  void theOldestGoUntilTheRestFitInTheSizeLimit() throws Exception {
    VersionStore s = store(Retention.defaults().withMaxBytes(100));
    Version v1 = s.keep(RelativePath.of("a"), write("a", "1".repeat(40)), Version.Reason.REPLACED, "x").orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    Version v2 = s.keep(RelativePath.of("a"), write("a", "2".repeat(40)), Version.Reason.REPLACED, "x").orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    Version v3 = s.keep(RelativePath.of("a"), write("a", "3".repeat(40)), Version.Reason.REPLACED, "x").orElseThrow();
    assertThat(s.list()).containsExactly(v3, v2);
    assertThat(s.summary().bytes()).isEqualTo(80);
    assertThat(Files.exists(s.content(v1))).isFalse();
    // A version larger than the whole limit is not kept at all (and evicts nothing).
    assertThat(s.keep(RelativePath.of("big"), write("big", "b".repeat(101)), Version.Reason.DELETED, "x")).isEmpty();
    assertThat(s.list()).containsExactly(v3, v2);
  }

  @Test
  void theDefaultSizeLimitIsAFifthOfTheFolderBetween16MiBAnd1GiB() {
    Retention r = Retention.defaults();
    assertThat(r.limitFor(0)).isEqualTo(16L << 20);
    assertThat(r.limitFor(1000L << 20)).isEqualTo(200L << 20);
    assertThat(r.limitFor(100L << 30)).isEqualTo(1L << 30);
    assertThat(r.withMaxBytes(5).limitFor(100L << 30)).isEqualTo(5);
  }

  @Test
  void historyOffKeepsNothingAndCreatesNothing() throws Exception {
    VersionStore s = store(Retention.off());
    assertThat(s.keep(RelativePath.of("a"), write("a", "x"), Version.Reason.DELETED, "x")).isEmpty();
    assertThat(Files.exists(s.directory())).isFalse();
    assertThat(s.list()).isEmpty();
  }

  @Test
  void whatACrashLeftHalfWrittenIsNeverListedAndIsRemovedByTheNextWriter() throws Exception {
    VersionStore s = store(Retention.defaults());
    Version kept = s.keep(RelativePath.of("a"), write("a", "kept"), Version.Reason.DELETED, "x").orElseThrow();
    Path dir = s.directory();
    // Killed after the content reached tmp/, after the object was renamed in, and while writing a record.
    Files.writeString(dir.resolve("tmp/content-1234"), "half");
    Path orphan = dir.resolve("objects/ab/" + "ab".repeat(32));
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "content whose record was never written");
    Files.writeString(dir.resolve("tmp/20261207T060000000Z-00000000.version"), "format=1\nid=2026");
    assertThat(store(Retention.defaults()).list()).containsExactly(kept);

    clock.advance(Duration.ofSeconds(1));
    s.keep(RelativePath.of("b"), write("b", "next"), Version.Reason.DELETED, "x").orElseThrow();
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(orphan).exists(); // a keep leaves orphans to the sweep, which walks every object
    s.sweep();
    assertThat(orphan).doesNotExist();
    assertThat(s.content(kept)).exists();
  }

  @Test
  void aDamagedRecordIsSkippedWithAWarningNotFatal() throws Exception {
    VersionStore s = store(Retention.defaults());
    Version kept = s.keep(RelativePath.of("a"), write("a", "kept"), Version.Reason.DELETED, "x").orElseThrow();
    Files.writeString(s.directory().resolve("records/20261207T060000000Z-00000001.version"),
        "format=1\npath=../../etc/passwd\n");
    Files.writeString(s.directory().resolve("records/20261207T060000000Z-00000002.version"), "format=9\n");
    assertThat(store(Retention.defaults()).list()).containsExactly(kept);
  }

  @Test
  void anIdOfTheWrongShapeNamesNothing() throws Exception {
    VersionStore s = store(Retention.defaults());
    s.keep(RelativePath.of("a"), write("a", "kept"), Version.Reason.DELETED, "x").orElseThrow();
    assertThat(s.find("../records/x")).isEmpty();
    assertThat(s.find("")).isEmpty();
  }

  @Test
  void recordsSurviveAnyPathAndDeviceName() throws Exception {
    Version v = new Version("20261207T060000000Z-0000abcd", RelativePath.of("dir with = and :/ #x!\\y é 😀.md"),
        "ab".repeat(32), 7, Instant.parse("2026-12-07T06:00:00.123Z"), Version.Reason.CONFLICT, " lap=top\n#1\t");
    assertThat(VersionRecords.decode(VersionRecords.encode(v))).isEqualTo(v);
  }

  @Test
  void concurrentReadersSeeOnlyWholeVersions() throws Exception {
    VersionStore writer = store(Retention.defaults());
    VersionStore reader = store(Retention.defaults());
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < 60; i++) {
          writer.keep(RelativePath.of("f" + i % 7), write("f" + i % 7, "content " + i), Version.Reason.REPLACED, "x");
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    t.start();
    java.util.Set<String> checked = new java.util.HashSet<>();
    while (t.isAlive() || checked.isEmpty()) {
      for (Version v : reader.list()) {
        if (checked.add(v.id())) { // listed means whole: its content is all there, under its hash
          assertThat(sha256(read(reader, v))).isEqualTo(v.sha256());
        }
      }
    }
    t.join();
    assertThat(reader.list()).hasSize(60);
  }
}
