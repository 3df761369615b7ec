package dev.jsync.core.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeBasesTest {

  private static final DeviceId A = DeviceId.fromName("a");
  private static final DeviceId B = DeviceId.fromName("b");
  private static final RelativePath NOTE = RelativePath.of("notes/x.md");

  @TempDir
  Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static VersionVector v(long a, long b) {
    VersionVector out = VersionVector.empty();
    for (long i = 0; i < a; i++) {
      out = out.increment(A);
    }
    for (long i = 0; i < b; i++) {
      out = out.increment(B);
    }
    return out;
  }

  private static Sha256 hash(String s) {
    return MergeBases.contentHashOf(utf8(s));
  }

  private static void keep(MergeBases bases, RelativePath path, VersionVector v, String content) throws IOException {
    assertThat(bases.keep(path, v, hash(content), utf8(content))).isTrue();
  }

  private long objects() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("objects"))) {
      return s.count();
    }
  }

  @Test
  void theCommonBaseOfTwoConcurrentVersionsIsTheLatestVersionBothFollow() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    keep(bases, NOTE, v(1, 0), "one\n");
    keep(bases, NOTE, v(2, 0), "two\n");
    keep(bases, NOTE, v(3, 0), "three, only on a\n");

    // a at {a:3}, b at {a:2, b:1}: they last shared {a:2}.
    MergeBases.Base base = bases.baseOf(NOTE, v(3, 0), v(2, 1)).orElseThrow();
    assertThat(base.version()).isEqualTo(v(2, 0));
    assertThat(new String(bases.content(base.contentHash()).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("two\n");
    // Reopened, the same (it is on disk), and nothing for a path never kept or with no common version.
    MergeBases again = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    assertThat(again.baseOf(NOTE, v(3, 0), v(2, 1))).contains(base);
    assertThat(again.baseOf(RelativePath.of("other.md"), v(3, 0), v(2, 1))).isEmpty();
    assertThat(again.baseOf(NOTE, v(0, 1), v(3, 0))).isEmpty();
  }

  @Test
  void contentIsKeptOnceByItsRecordsContentHashAndCheckedWhenRead() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    keep(bases, NOTE, v(1, 0), "same\n");
    keep(bases, RelativePath.of("copy.md"), v(0, 1), "same\n");
    assertThat(objects()).isEqualTo(1);
    assertThat(bases.bytes()).isEqualTo(5);
    assertThat(bases.holds(hash("same\n"))).isTrue();
    // An entry for content already kept needs no bytes.
    assertThat(bases.keep(NOTE, v(2, 0), hash("same\n"), null)).isTrue();
    // Content that is not what its hash says is refused (the file changed after it was recorded).
    assertThat(bases.keep(NOTE, v(3, 0), hash("what was recorded\n"), utf8("what is on disk now\n"))).isFalse();
    assertThat(bases.bases(NOTE)).extracting(MergeBases.Base::version).containsExactly(v(1, 0), v(2, 0));

    // A damaged object is not handed out, and goes.
    Files.writeString(dir.resolve("objects").resolve(hash("same\n").toString()), "sane\n");
    assertThat(bases.content(hash("same\n"))).isEmpty();
    assertThat(bases.holds(hash("same\n"))).isFalse();
  }

  @Test
  void whatACrashLeavesIsRemovedAtTheNextOpen() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    keep(bases, NOTE, v(1, 0), "kept\n");
    Files.writeString(dir.resolve("tmp").resolve("x.object"), "half written");
    // Content renamed into place whose entry was never written.
    Files.writeString(dir.resolve("objects").resolve(hash("orphan\n").toString()), "orphan\n");

    MergeBases reopened = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(reopened.holds(hash("orphan\n"))).isFalse();
    assertThat(reopened.holds(hash("kept\n"))).isTrue();
    assertThat(reopened.bytes()).isEqualTo(5);
  }

  @Test
  void aPathKeepsItsOldestAndNewestVersionsWithinTheBound() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    for (int i = 1; i <= MergeBases.MAX_PER_PATH + 3; i++) {
      keep(bases, NOTE, v(i, 0), "version " + i + "\n");
    }
    List<VersionVector> kept = bases.bases(NOTE).stream().map(MergeBases.Base::version).toList();
    assertThat(kept).hasSize(MergeBases.MAX_PER_PATH);
    assertThat(kept.get(0)).isEqualTo(v(1, 0));
    assertThat(kept.subList(kept.size() - 2, kept.size()))
        .containsExactly(v(MergeBases.MAX_PER_PATH + 2, 0), v(MergeBases.MAX_PER_PATH + 3, 0));
    // The content of dropped entries goes at the next sweep.
    bases.sweep();
    assertThat(objects()).isEqualTo(MergeBases.MAX_PER_PATH);
  }

  @Test
  void aTrimmedVersionIsNeverPassedOverForAnOlderBase() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    int n = MergeBases.MAX_PER_PATH + 3;
    for (int i = 1; i <= n; i++) {
      keep(bases, NOTE, v(i, 0), "version " + i + "\n");
    }
    // Kept: 1-6 and the two newest; 7, 8 and 9 were trimmed. b edited version 8, a went on.
    assertThat(bases.bases(NOTE).stream().map(MergeBases.Base::version)).doesNotContain(v(8, 0));
    // Their common version is 8; version 6 would make a's later edits look like b's to undo.
    assertThat(bases.baseOf(NOTE, v(n, 0), v(8, 1))).isEmpty();
    assertThat(MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES).baseOf(NOTE, v(n, 0), v(8, 1)))
        .as("the trimmed span is on disk").isEmpty();
    // A device that has been away since version 3, and one that edited the version before the
    // newest, still merge against their true common version.
    assertThat(bases.baseOf(NOTE, v(n, 0), v(3, 1)).map(MergeBases.Base::version)).contains(v(3, 0));
    assertThat(bases.baseOf(NOTE, v(n, 0), v(n - 1, 1)).map(MergeBases.Base::version)).contains(v(n - 1, 0));
    // Pruning keeps the span.
    bases.prune(NOTE, v(n, 0), List.of(v(n, 0), v(5, 0)));
    assertThat(bases.bases(NOTE).stream().map(MergeBases.Base::version)).doesNotContain(v(1, 0));
    assertThat(bases.baseOf(NOTE, v(n, 0), v(8, 1))).isEmpty();
  }

  @Test
  void aSkippedVersionIsNeverPassedOverForAnOlderBase() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    bases.skipped(NOTE, v(1, 0));
    assertThat(bases.bases(NOTE)).isEmpty();
    assertThat(dir.resolve("paths")).isEmptyDirectory(); // nothing older to pass it over for
    keep(bases, NOTE, v(2, 0), "two\n");
    bases.skipped(NOTE, v(3, 0));
    keep(bases, NOTE, v(4, 0), "four\n");

    assertThat(bases.baseOf(NOTE, v(4, 0), v(3, 1))).as("their common version 3 was not kept").isEmpty();
    assertThat(bases.baseOf(NOTE, v(4, 0), v(2, 1)).map(MergeBases.Base::version)).contains(v(2, 0));
    assertThat(bases.baseOf(NOTE, v(5, 0), v(4, 1)).map(MergeBases.Base::version)).contains(v(4, 0));
  }

  @Test
  void aCommonVersionNeverKeptHereIsNeverPassedOverForAnOlderBase() throws IOException {
    DeviceId c = DeviceId.fromName("c");
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    // Lost: version 3 was recorded but its keep never ran (queued when the process stopped).
    keep(bases, NOTE, v(1, 0), "one\n");
    keep(bases, NOTE, v(2, 0), "two\n");
    keep(bases, NOTE, v(4, 0), "four\n");
    assertThat(bases.baseOf(NOTE, v(4, 0), v(3, 1))).isEmpty();
    assertThat(bases.baseOf(NOTE, v(4, 0), v(2, 1)).map(MergeBases.Base::version)).contains(v(2, 0));

    // Never held: b edited {a:1} into {a:1, b:1}; c took that, edited it, and only c's version
    // reached this device. b's next edit and this device's share {a:1, b:1}, not {a:1}.
    RelativePath other = RelativePath.of("notes/y.md");
    VersionVector fromC = v(1, 1).increment(c);
    keep(bases, other, v(1, 0), "one\n");
    keep(bases, other, fromC, "one, two from b, then c\n");
    assertThat(bases.baseOf(other, fromC.increment(A), v(1, 2))).isEmpty();
    // Against c's own next edit the kept version is the meet, and the base.
    assertThat(bases.baseOf(other, fromC.increment(A), fromC.increment(c)).map(MergeBases.Base::version))
        .contains(fromC);
  }

  @Test
  void anEntryFileWhoseTrimmedSpanIsDamagedOffersNoBase() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    for (int i = 1; i <= MergeBases.MAX_PER_PATH + 1; i++) {
      keep(bases, NOTE, v(i, 0), "version " + i + "\n");
    }
    assertThat(bases.baseOf(NOTE, v(9, 0), v(2, 1))).isPresent();
    Path file;
    try (Stream<Path> s = Files.list(dir.resolve("paths"))) {
      file = s.findFirst().orElseThrow();
    }
    String text = Files.readString(file);
    assertThat(text).contains("\ngap ");
    Files.writeString(file, text.replaceAll("\ngap [^\n]*", "\ngap damaged"));
    assertThat(bases.baseOf(NOTE, v(9, 0), v(2, 1))).isEmpty();
  }

  @Test
  void versionsEveryDeviceHasMovedPastArePruned() throws IOException {
    MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
    keep(bases, NOTE, v(1, 0), "one\n");
    keep(bases, NOTE, v(2, 0), "two\n");
    keep(bases, NOTE, v(3, 0), "three\n");
    // b has only {a:1}: everything may still be a base.
    bases.prune(NOTE, v(3, 0), List.of(v(3, 0), v(1, 0)));
    assertThat(bases.bases(NOTE)).hasSize(3);
    // b moved on from {a:2}: {a:1} can no longer be a common base.
    bases.prune(NOTE, v(3, 0), List.of(v(3, 0), v(2, 1)));
    assertThat(bases.bases(NOTE)).extracting(MergeBases.Base::version).containsExactly(v(2, 0), v(3, 0));

    bases.forget(NOTE);
    assertThat(bases.bases(NOTE)).isEmpty();
  }

  @Test
  void theLeastRecentlyKeptContentGoesBeyondTheSizeBound() throws IOException {
    MergeBases bases = MergeBases.open(dir, 10);
    keep(bases, NOTE, v(1, 0), "aaaa\n");
    keep(bases, RelativePath.of("b.md"), v(1, 0), "bbbb\n");
    assertThat(bases.bytes()).isEqualTo(10);
    // Kept in this order, a then b: their times say so (two writes in a row can share a time).
    Files.setLastModifiedTime(dir.resolve("objects").resolve(hash("aaaa\n").toString()),
        java.nio.file.attribute.FileTime.fromMillis(1000));
    Files.setLastModifiedTime(dir.resolve("objects").resolve(hash("bbbb\n").toString()),
        java.nio.file.attribute.FileTime.fromMillis(2000));
    keep(bases, RelativePath.of("c.md"), v(1, 0), "cccc\n");
    assertThat(bases.bytes()).isLessThanOrEqualTo(10);
    assertThat(bases.holds(hash("aaaa\n"))).isFalse();
    assertThat(bases.holds(hash("cccc\n"))).isTrue();
    // Its entry stays but finds no content: no base, and the conflict rule applies.
    MergeBases.Base gone = bases.baseOf(NOTE, v(2, 0), v(1, 1)).orElseThrow();
    assertThat(bases.content(gone.contentHash())).isEmpty();
    // Content larger than the whole bound is not kept.
    assertThat(bases.keep(NOTE, v(3, 0), hash("far too long\n"), utf8("far too long\n"))).isFalse();
  }

  @Test
  void notesKeptAreReadableByTheirOwnerOnly() throws IOException {
    MergeBases bases = MergeBases.open(dir.resolve("bases"), MergeBases.DEFAULT_MAX_BYTES);
    keep(bases, NOTE, v(1, 0), "private thoughts\n");
    for (String sub : List.of("objects", "paths")) {
      try (Stream<Path> files = Files.list(dir.resolve("bases").resolve(sub))) {
        for (Path f : files.toList()) {
          assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
              .as(f.toString()).isEqualTo("rw-------");
        }
      }
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir.resolve("bases").resolve(sub)))).isEqualTo("rwx------");
    }
  }

  @Test
  void theContentHashIsTheOneTheScannerRecords() throws IOException {
    for (int size : new int[] {0, 5, 300 * 1024}) {
      byte[] content = new byte[size];
      new java.util.Random(size).nextBytes(content);
      Path file = Files.write(dir.resolve("f" + size), content);
      dev.jsync.core.internal.HashedContent scanned = new dev.jsync.core.internal.BlockHasher().hash(file);
      assertThat(MergeBases.contentHashOf(content)).isEqualTo(scanned.contentHash());
      assertThat(MergeBases.blocksOf(content)).isEqualTo(scanned.blocks());
    }
  }

  @Test
  void contentOverTheBoundIsEvictedOldestFirstDownToThreeQuartersWithoutReadingEveryPath() throws IOException {
    long max = 40 * 1024;
    MergeBases bases = MergeBases.open(dir, max);
    int sweepsAtOpen = bases.sweeps;
    String[] contents = new String[200];
    for (int i = 0; i < contents.length; i++) {
      contents[i] = String.format("%04d", i).repeat(256); // 1 KiB each, all different
      keep(bases, RelativePath.of("notes/n" + i + ".md"), v(i + 1, 0), contents[i]);
      assertThat(bases.bytes()).as("after keep %d", i).isLessThanOrEqualTo(max);
    }
    // 200 KiB kept through a 40 KiB bound: an eviction each time 10 KiB more arrived, not at every
    // keep, and none of them a full sweep (which reads every path's entries).
    assertThat(bases.evictions).isBetween(10, 20);
    assertThat(bases.sweeps).isEqualTo(sweepsAtOpen);
    assertThat(bases.holds(hash(contents[199]))).isTrue();
    assertThat(bases.holds(hash(contents[100]))).as("the oldest went first").isFalse();
  }

  @Test
  void entryFilesThatNameOnlyEvictedContentGoInTheNextFullSweep() throws IOException {
    MergeBases bases = MergeBases.open(dir, 40 * 1024);
    int notes = 2 * MergeBases.SWEEP_EVERY + 1000;
    for (int i = 0; i < notes; i++) {
      keep(bases, RelativePath.of("notes/n" + i + ".md"), v(1, 0), String.format("%06d", i).repeat(170));
    }
    // Without the sweep every note would keep its entry file, though only about 40 of their
    // contents are kept: the entry files would grow with the folder, not with the bound.
    assertThat(bases.sweeps).isEqualTo(3); // at open, and each time SWEEP_EVERY paths were kept
    try (Stream<Path> files = Files.list(dir.resolve("paths"))) {
      assertThat(files.count()).isLessThan(1000 + 100);
    }
    assertThat(bases.bases(RelativePath.of("notes/n" + (notes - 1) + ".md"))).hasSize(1);
    assertThat(bases.bases(RelativePath.of("notes/n0.md"))).isEmpty();
  }


}
