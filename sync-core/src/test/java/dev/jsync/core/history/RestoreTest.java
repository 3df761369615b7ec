package dev.jsync.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTest {

  @TempDir
  Path folder;

  @TempDir
  Path elsewhere;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  private VersionStore store;

  private VersionStore store() {
    if (store == null) {
      store = VersionStore.open(folder.resolve(".jsync"), folder, Retention.defaults(), clock);
    }
    return store;
  }

  private Path write(String rel, String content) throws IOException {
    Path p = folder.resolve(rel);
    Files.createDirectories(p.getParent());
    Path temp = p.resolveSibling(".jsync-tmp-test");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return p;
  }

  /** Keeps the file as the engine would before a peer's delete, then deletes it. */
  private Version deleted(String rel, String content) throws IOException {
    Path p = write(rel, content);
    Version v = store().keep(RelativePath.of(rel), p, Version.Reason.DELETED, "laptop").orElseThrow();
    Files.delete(p);
    clock.advance(Duration.ofMillis(5));
    return v;
  }

  private String read(String rel) throws IOException {
    return Files.readString(folder.resolve(rel));
  }

  @Test
  void aFileComesBackAsItsNewestVersionAndWhatItReplacesIsKept() throws Exception {
    Path p = write("a.md", "v1");
    store().keep(RelativePath.of("a.md"), p, Version.Reason.REPLACED, "laptop");
    clock.advance(Duration.ofSeconds(1));
    write("a.md", "v2");
    Version v2 = store().keep(RelativePath.of("a.md"), p, Version.Reason.REPLACED, "laptop").orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    write("a.md", "v3");

    var done = store().restore(RelativePath.of("a.md"), Optional.empty(), Optional.empty(), "desk");
    assertThat(done).containsExactly(new VersionStore.Restored(v2, RelativePath.of("a.md")));
    assertThat(read("a.md")).isEqualTo("v2");
    Version replaced = store().list().get(0);
    assertThat(replaced.by()).isEqualTo("desk");
    assertThat(Files.readString(store().content(replaced))).isEqualTo("v3");
    // Restoring what is already there changes nothing.
    assertThat(store().restore(RelativePath.of("a.md"), Optional.of(v2.id()), Optional.empty(), "desk")).isEmpty();
    try (var entries = Files.list(folder)) {
      assertThat(entries.map(e -> e.getFileName().toString())).containsExactlyInAnyOrder("a.md", ".jsync");
    }
  }

  @Test
  void aFolderGetsBackEveryMissingFileItsDeleteRemovedAndNothingElse() throws Exception {
    write("notes/keep.md", "still here");
    store().keep(RelativePath.of("notes/keep.md"), folder.resolve("notes/keep.md"), Version.Reason.DELETED, "x");
    write("notes/keep.md", "still here, newer");
    Path edited = write("notes/edited.md", "old text");
    store().keep(RelativePath.of("notes/edited.md"), edited, Version.Reason.REPLACED, "x");
    Files.delete(edited); // removed here by the user: no version of that removal, so not brought back
    deleted("notes/a.md", "a");
    deleted("notes/deep/b.md", "b");
    deleted("other.md", "not under notes");

    var done = store().restore(RelativePath.of("notes"), Optional.empty(), Optional.empty(), "desk");
    assertThat(done).extracting(VersionStore.Restored::to)
        .containsExactlyInAnyOrder(RelativePath.of("notes/a.md"), RelativePath.of("notes/deep/b.md"));
    assertThat(read("notes/a.md")).isEqualTo("a");
    assertThat(read("notes/deep/b.md")).isEqualTo("b");
    assertThat(read("notes/keep.md")).isEqualTo("still here, newer");
    assertThat(folder.resolve("other.md")).doesNotExist();
    assertThat(folder.resolve("notes/edited.md")).doesNotExist();
  }

  @Test
  void toPutsAFolderOrAFileElsewhere() throws Exception {
    deleted("notes/a.md", "a");
    Version b = deleted("notes/deep/b.md", "b");
    store().restore(RelativePath.of("notes"), Optional.empty(), Optional.of(RelativePath.of("back")), "desk");
    assertThat(read("back/a.md")).isEqualTo("a");
    assertThat(read("back/deep/b.md")).isEqualTo("b");
    store().restore(RelativePath.of("notes/deep/b.md"), Optional.of(b.id()), Optional.of(RelativePath.of("b.md")),
        "desk");
    assertThat(read("b.md")).isEqualTo("b");
  }

  @Test
  void nothingToRestoreOrAVersionOfAnotherPathIsRefusedWithAReason() throws Exception {
    Version a = deleted("a.md", "a");
    assertThatThrownBy(() -> store().restore(RelativePath.of("zzz"), Optional.empty(), Optional.empty(), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no versions of zzz");
    assertThatThrownBy(() -> store().restore(RelativePath.of("b.md"), Optional.of(a.id()), Optional.empty(), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is of a.md, not of b.md");
    assertThatThrownBy(() -> store().restore(RelativePath.of("a.md"), Optional.of("../../../etc/passwd"),
        Optional.empty(), "d")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no version");
  }

  /**
   * An attacker (or an accident) replaced a folder above the restored path with a link to a
   * folder outside: the restore must not write through it.
   */
  @Test
  void neverWritesThroughALinkAbove() throws Exception {
    deleted("notes/a.md", "a");
    Files.createDirectories(folder.resolve("notes"));
    Files.delete(folder.resolve("notes"));
    Files.createSymbolicLink(folder.resolve("notes"), elsewhere);
    assertThatThrownBy(() -> store().restore(RelativePath.of("notes/a.md"), Optional.empty(), Optional.empty(), "d"))
        .isInstanceOf(IOException.class).hasMessageContaining("notes is a link");
    try (var entries = Files.list(elsewhere)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void damagedContentIsNotRestored() throws Exception {
    Version a = deleted("a.md", "the real text");
    Path object = store().content(a);
    object.toFile().setWritable(true);
    Files.writeString(object, "tampered");
    assertThatThrownBy(() -> store().restore(RelativePath.of("a.md"), Optional.empty(), Optional.empty(), "d"))
        .isInstanceOf(IOException.class).hasMessageContaining("damaged");
    try (var entries = Files.list(folder)) {
      assertThat(entries.map(e -> e.getFileName().toString())).containsExactly(".jsync");
    }
  }
}
