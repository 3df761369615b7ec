package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.merge.MergeableFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConflictCopiesTest {

  private static final DeviceId DEV = DeviceId.fromName("laptop");

  private static FileRecord loser(String path) {
    Instant t = Instant.parse("2026-11-24T09:30:12.123456789Z");
    long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
    return Gen.fileWith(path, new byte[] {1}, nanos, false, VersionVector.empty().increment(DEV), DEV);
  }

  @Test
  void nameIsBuiltFromTheLosersTimeAndAuthor() {
    RelativePath p = ConflictCopies.pathFor(loser("notes/plan.md"));
    assertThat(p.toString()).isEqualTo("notes/plan.md.conflict-20261124-093012-" + DEV.shortId() + ".bak");
    assertThat(ConflictCopies.isConflictCopy(p)).isTrue();
    assertThat(ConflictCopies.isConflictCopy(RelativePath.of("notes/plan.md"))).isFalse();
  }

  @Test
  void longNamesAreShortenedOnCharacterBoundaries() {
    String name = "\u00e9".repeat(127) + ".md"; // 254 + 3 bytes: over the limit once suffixed
    RelativePath p = ConflictCopies.pathFor(loser(name.substring(0, 120) + ".md"));
    assertThat(p.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RelativePath.MAX_SEGMENT_BYTES);
    RelativePath longOne = ConflictCopies.pathFor(loser("\u00e9".repeat(120)));
    assertThat(longOne.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RelativePath.MAX_SEGMENT_BYTES);
    assertThat(longOne.name()).startsWith("\u00e9").endsWith(".bak");
  }

  @Test
  void aCopyOfAMergeableFileKeepsItsExtensionSoEditorsShowIt() {
    MergeableFiles notes = MergeableFiles.defaults();
    FileRecord note = loser("notes/plan.md");
    RelativePath p = ConflictCopies.pathFor(note, notes);
    assertThat(p.toString()).isEqualTo("notes/plan.conflict-20261124-093012-" + DEV.shortId() + ".md");
    assertThat(ConflictCopies.isConflictCopy(p)).isTrue();
    RelativePath alt = ConflictCopies.alternativePathFor(note, notes);
    assertThat(alt.toString()).isEqualTo("notes/plan.conflict-20261124-093012-" + DEV.shortId() + "-"
        + note.contentHash().toString().substring(0, 8) + ".md");
    assertThat(ConflictCopies.isConflictCopy(alt)).isTrue();
    // Other files, and notes when merging is off, keep the .bak name.
    assertThat(ConflictCopies.pathFor(loser("data.db"), notes).name()).endsWith(".bak");
    assertThat(ConflictCopies.pathFor(note, MergeableFiles.none())).isEqualTo(ConflictCopies.pathFor(note));
    assertThat(ConflictCopies.isConflictCopy(RelativePath.of("notes/a.conflict-of-ideas.md"))).isFalse();
  }

  @Test
  void theAlternativeNameOfANoteIsNamedLikeANoteToo() throws Exception {
    MergeableFiles notes = MergeableFiles.defaults();
    FileRecord note = loser("plan.md");
    ConflictCopies.Placement p = ConflictCopies.place(ConflictCopies.pathFor(note, notes), note, notes,
        c -> c.equals(ConflictCopies.pathFor(note, notes)) ? ConflictCopies.Slot.TAKEN : ConflictCopies.Slot.FREE);
    assertThat(p).isEqualTo(new ConflictCopies.Placement.KeepAs(ConflictCopies.alternativePathFor(note, notes)));
    assertThat(p.path().name()).endsWith(".md");
  }

  @Test
  void aLongNoteNameIsShortenedBeforeItsExtension() {
    RelativePath p = ConflictCopies.pathFor(loser("\u00e9".repeat(120) + ".md"), MergeableFiles.defaults());
    assertThat(p.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RelativePath.MAX_SEGMENT_BYTES);
    assertThat(p.name()).startsWith("\u00e9").endsWith("-" + DEV.shortId() + ".md");
  }
}
