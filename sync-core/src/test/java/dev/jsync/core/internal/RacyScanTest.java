package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Racy modification times: a file hashed within the timestamp granularity of its last write is
 * hashed again at the next scan, so that a same-size rewrite in the same tick (same size, same
 * time stamp, same inode) is found; once its time stamp is older than that, its stat is trusted.
 */
class RacyScanTest {

  private static final long T = 1_800_000_000_000_000_000L;

  @TempDir Path root;
  private final TinyStore store = new TinyStore();
  private final AtomicLong now = new AtomicLong(T);
  private final RacyFiles racy = new RacyFiles();
  private final DeviceId me = DeviceId.fromName("me");

  @Test
  void aSameSizeRewriteInTheScansTickIsFoundAndTheStatTrustedOnceOldEnough() throws Exception {
    Scanner scanner = new Scanner(new DiskView(root), store, null, racy, now::get);
    Path note = root.resolve("note.md");
    Files.writeString(note, "first");
    Files.setLastModifiedTime(note, FileTime.from(T, TimeUnit.NANOSECONDS));
    now.set(T + 3_000_000L); // scanned three milliseconds after the write
    record(scanner.scanAll(IgnoreRules.defaults()));

    try (FileChannel ch = FileChannel.open(note, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("again".getBytes(StandardCharsets.UTF_8)), 0);
    }
    Files.setLastModifiedTime(note, FileTime.from(T, TimeUnit.NANOSECONDS)); // the same tick
    Scanner.Result r = scanner.scanAll(IgnoreRules.defaults());
    assertThat(r.changes()).extracting(i -> i.path().toString()).containsExactly("note.md");
    record(r);

    // Still racy, but unchanged: read again, and nothing reported.
    assertThat(scanner.scanAll(IgnoreRules.defaults()).changes()).isEmpty();
    assertThat(racy.size()).isEqualTo(1);
    now.set(T + RacyFiles.GRANULARITY_NANOS + 1);
    assertThat(scanner.scanAll(IgnoreRules.defaults()).changes()).isEmpty();
    assertThat(racy.size()).as("trusted once older than the granularity").isZero();
  }

  @Test
  void aFileWrittenLongBeforeTheScanIsNeverRacy() throws Exception {
    Scanner scanner = new Scanner(new DiskView(root), store, null, racy, now::get);
    Path note = root.resolve("old.md");
    Files.writeString(note, "old");
    Files.setLastModifiedTime(note, FileTime.from(T - 60_000_000_000L, TimeUnit.NANOSECONDS));
    record(scanner.scanAll(IgnoreRules.defaults()));
    assertThat(racy.size()).isZero();
  }

  private void record(Scanner.Result r) {
    long seq = store.lastSequence();
    for (ScanItem item : r.changes()) {
      Observed o = item.observed().orElseThrow();
      HashedContent c = item.content().orElseThrow();
      FileRecord rec = FileRecord.file(item.path(), c.size(), o.stat().modifiedNanos(), false, c.blocks(),
          c.contentHash(), VersionVector.empty().increment(me), me);
      store.local.put(item.path(), LocalEntry.of(rec.withSequence(++seq), o.stat()));
    }
  }
}
