package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileKind;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.LocalSummary;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexDigestTest {

  private static final DiskStat STAT = new DiskStat(4096, 1_700_000_000_123_456_789L, "(dev=803,ino=42)");

  private static LocalSummary file(String path, boolean executable, DiskStat stat) {
    return new LocalSummary(RelativePath.of(path), FileKind.FILE, false, executable, "", Optional.of(stat));
  }

  private static Observed observedFile(boolean executable, DiskStat stat) {
    return new Observed(FileKind.FILE, stat, executable, "");
  }

  @Test
  void aFileMatchesOnlyWithTheSameStatAndExecutableBit() {
    IndexDigest d = new IndexDigest();
    d.add(file("a.md", false, STAT));
    assertThat(d.foundUnchanged("a.md", observedFile(false, STAT))).isTrue();
    assertThat(d.foundUnchanged("a.md", observedFile(true, STAT))).isFalse();
    long mtime = STAT.modifiedNanos();
    assertThat(d.foundUnchanged("a.md", observedFile(false, new DiskStat(4097, mtime, STAT.fileKey())))).isFalse();
    assertThat(d.foundUnchanged("a.md", observedFile(false, new DiskStat(4096, mtime + 1, STAT.fileKey())))).isFalse();
    assertThat(d.foundUnchanged("a.md", observedFile(false, new DiskStat(4096, mtime, "(dev=803,ino=43)")))).isFalse();
    assertThat(d.foundUnchanged("a.md", new Observed(FileKind.DIRECTORY, STAT, false, ""))).isFalse();
    assertThat(d.foundUnchanged("b.md", observedFile(false, STAT))).as("not in the index").isFalse();
  }

  @Test
  void foldersMatchByKindAndLinksByTarget() {
    IndexDigest d = new IndexDigest();
    d.add(new LocalSummary(RelativePath.of("dir"), FileKind.DIRECTORY, false, false, "", Optional.of(STAT)));
    d.add(new LocalSummary(RelativePath.of("link"), FileKind.SYMLINK, false, false, "target", Optional.empty()));
    DiskStat other = new DiskStat(1, 2, "(dev=1,ino=2)");
    assertThat(d.foundUnchanged("dir", new Observed(FileKind.DIRECTORY, other, true, ""))).isTrue();
    assertThat(d.foundUnchanged("link", new Observed(FileKind.SYMLINK, other, false, "target"))).isTrue();
    assertThat(d.foundUnchanged("link", new Observed(FileKind.SYMLINK, other, false, "elsewhere"))).isFalse();
  }

  @Test
  void tombstonesAndFilesWithoutAStatNeverMatch() {
    IndexDigest d = new IndexDigest();
    d.add(new LocalSummary(RelativePath.of("gone.md"), FileKind.FILE, true, false, "", Optional.of(STAT)));
    d.add(new LocalSummary(RelativePath.of("nostat.md"), FileKind.FILE, false, false, "", Optional.empty()));
    assertThat(d.foundUnchanged("gone.md", observedFile(false, STAT))).isFalse();
    assertThat(d.foundUnchanged("nostat.md", observedFile(false, STAT))).isFalse();
  }

  @Test
  void liveEntriesTheWalkDidNotFindMayHaveVanished() {
    IndexDigest d = new IndexDigest();
    LocalSummary seen = file("seen.md", false, STAT);
    LocalSummary missed = file("missed.md", false, STAT);
    LocalSummary tombstone =
        new LocalSummary(RelativePath.of("t.md"), FileKind.FILE, true, false, "", Optional.empty());
    d.add(seen);
    d.add(missed);
    d.add(tombstone);
    d.foundUnchanged("seen.md", observedFile(false, STAT));
    assertThat(d.anyLiveMissed()).isTrue();
    assertThat(d.mayHaveVanished(seen)).isFalse();
    assertThat(d.mayHaveVanished(missed)).isTrue();
    assertThat(d.mayHaveVanished(tombstone)).isFalse();
    d.foundUnchanged("missed.md", observedFile(false, STAT));
    assertThat(d.anyLiveMissed()).isFalse();
  }

  /** Two entries on one slot (here the same path twice): always looked up in full, never trusted. */
  @Test
  void aSharedSlotIsNeverTrusted() {
    IndexDigest d = new IndexDigest();
    LocalSummary a = file("a.md", false, STAT);
    d.add(a);
    d.add(a);
    assertThat(d.foundUnchanged("a.md", observedFile(false, STAT))).isFalse();
    assertThat(d.anyLiveMissed()).isTrue();
    assertThat(d.mayHaveVanished(a)).isTrue();
  }

  @Test
  void growsAndIsReusedAcrossScans() {
    IndexDigest d = new IndexDigest();
    for (int scan = 0; scan < 3; scan++) {
      d.clear();
      int n = scan == 1 ? 10 : 20_000; // shrinks, then grows again
      for (int i = 0; i < n; i++) {
        d.add(file("f/" + i + ".md", false, new DiskStat(i, i, "(dev=1,ino=" + i + ")")));
      }
      assertThat(d.size()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        DiskStat stat = new DiskStat(i, i, "(dev=1,ino=" + i + ")");
        assertThat(d.foundUnchanged("f/" + i + ".md", observedFile(false, stat))).isTrue();
      }
      assertThat(d.anyLiveMissed()).isFalse();
    }
  }
}
