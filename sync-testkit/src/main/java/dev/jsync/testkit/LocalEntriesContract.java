package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.BOB;
import static dev.jsync.testkit.SampleRecords.CAROL;
import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static dev.jsync.testkit.SampleRecords.symlink;
import static dev.jsync.testkit.SampleRecords.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.LocalSummary;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Local entries: put, replace, visit in path order (whole,
 * summarised, a subtree), remove. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class LocalEntriesContract extends StoreContractArea {

  LocalEntriesContract(IndexStoreContract contract) {
    super(contract);
  }

  @Test
  public void aNewStoreIsEmpty() {
    assertThat(store.local(path("a"))).isEmpty();
    assertThat(locals(store)).isEmpty();
    assertThat(store.localSince(0, 100)).isEmpty();
    assertThat(store.lastSequence()).isZero();
    assertThat(store.remote(ALICE, path("a"))).isEmpty();
    assertThat(remotes(store, ALICE)).isEmpty();
    assertThat(store.position(ALICE)).isEqualTo(IndexPosition.NONE);
    assertThat(store.peers()).isEmpty();
    assertThat(store.blockLocations(hash(0), 10)).isEmpty();
    assertThat(store.metadata("anything")).isEmpty();
  }

  @Test
  public void putLocalThenReadItBack() {
    LocalEntry withStat = LocalEntry.of(file("a.txt", 1, hash(1)), new DiskStat(131_000, 42, "inode 7"));
    LocalEntry withoutStat = LocalEntry.withoutStat(directory("docs", 2));
    apply(new StoreBatch().putLocal(withStat).putLocal(withoutStat));

    assertThat(store.local(path("a.txt"))).contains(withStat);
    assertThat(store.local(path("docs"))).contains(withoutStat);
    assertThat(store.local(path("other"))).isEmpty();
  }

  @Test
  public void putLocalReplacesTheEntryAtItsPath() {
    apply(new StoreBatch().putLocal(entry(file("a", 1, hash(1)))));
    LocalEntry newer = entry(file("a", 2, hash(2)));
    apply(new StoreBatch().putLocal(newer));

    assertThat(store.local(path("a"))).contains(newer);
    assertThat(locals(store)).containsExactly(newer);
  }

  @Test
  public void forEachLocalVisitsEntriesInPathOrder() {
    // U+FF21 sorts after an emoji in UTF-16 (RelativePath's order) but before it in UTF-8.
    List<String> raw = List.of("z", "\uff21", "a/b", "\ud83d\ude00", "a.b", "\u00e9", "a", "a b", "b", "A");
    StoreBatch batch = new StoreBatch();
    long seq = 0;
    for (String p : raw) {
      batch.putLocal(entry(directory(p, ++seq)));
    }
    apply(batch);

    List<RelativePath> expected = raw.stream().map(RelativePath::of).sorted().toList();
    assertThat(locals(store).stream().map(e -> e.record().path()).toList()).containsExactlyElementsOf(expected);
  }

  @Test
  public void forEachLocalSummarySummarisesEveryEntryInPathOrder() {
    FileRecord executable = FileRecord.file(path("bin/run"), 5, 1_700_000_000_000_000_001L, true,
        SampleRecords.blocks(5, List.of(hash(9))), SampleRecords.contentHash(List.of(hash(9))),
        SampleRecords.vector(ALICE, 3).merge(SampleRecords.vector(BOB, 4)).merge(SampleRecords.vector(CAROL, 300)),
        CAROL).withSequence(6);
    List<LocalEntry> entries = List.of(
        LocalEntry.of(file("notes/a.md", 1, hash(1), hash(2), hash(3)), new DiskStat(3 * 131_072 - 100, 42, "(dev=1,ino=2)")),
        entry(file("empty", 2)),
        entry(directory("notes", 3)),
        LocalEntry.of(symlink("link", "notes/a.md", 4), new DiskStat(0, 7, "")),
        entry(tombstone("gone.md", 5)),
        LocalEntry.of(executable, new DiskStat(5, 9, "k")),
        LocalEntry.of(file("\u00e9t\u00e9/\ud83d\ude00", 7, hash(4)), new DiskStat(131_072 - 100, -1, "\u00e9")));
    StoreBatch batch = new StoreBatch();
    entries.forEach(batch::putLocal);
    apply(batch);

    List<LocalSummary> summaries = new ArrayList<>();
    store.forEachLocalSummary(summaries::add);
    assertThat(summaries).containsExactlyElementsOf(locals(store).stream().map(LocalSummary::of).toList());
    assertThat(summaries).hasSize(entries.size());
    LocalSummary run = summaries.stream().filter(x -> x.path().equals(path("bin/run"))).findFirst().orElseThrow();
    assertThat(run.executable()).isTrue();
    assertThat(run.stat()).contains(new DiskStat(5, 9, "k"));
    LocalSummary gone = summaries.stream().filter(x -> x.path().equals(path("gone.md"))).findFirst().orElseThrow();
    assertThat(gone.deleted()).isTrue();
    assertThat(gone.stat()).isEmpty();
  }

  @Test
  public void forEachLocalUnderVisitsTheSubtreeOnly() {
    List<String> raw = List.of("a", "a/b", "a/b/c", "a.b", "a b", "ab", "a/\u00e9", "b/a", "\ud83d\ude00/a");
    StoreBatch batch = new StoreBatch();
    long seq = 0;
    for (String p : raw) {
      batch.putLocal(entry(directory(p, ++seq)));
    }
    apply(batch);

    List<RelativePath> under = new ArrayList<>();
    store.forEachLocalUnder(path("a"), e -> under.add(e.record().path()));
    assertThat(under).containsExactlyInAnyOrder(path("a/b"), path("a/b/c"), path("a/\u00e9"));
    List<RelativePath> underEmoji = new ArrayList<>();
    store.forEachLocalUnder(path("\ud83d\ude00"), e -> underEmoji.add(e.record().path()));
    assertThat(underEmoji).containsExactly(path("\ud83d\ude00/a"));
  }

  @Test
  public void forEachLocalSeesTheStoreAsItWasWhenItBegan() {
    apply(new StoreBatch().putLocal(entry(directory("a", 1))).putLocal(entry(directory("b", 2))));
    List<RelativePath> seen = new ArrayList<>();
    store.forEachLocal(e -> {
      seen.add(e.record().path());
      if (seen.size() == 1) {
        apply(new StoreBatch().removeLocal(path("b")).putLocal(entry(directory("c", 3))));
      }
    });

    assertThat(seen).containsExactly(path("a"), path("b"));
    assertThat(locals(store).stream().map(e -> e.record().path())).containsExactly(path("a"), path("c"));
  }

  @Test
  public void anotherThreadAppliesBatchesWhileAVisitWaitsForIt() throws Exception {
    apply(new StoreBatch().putLocal(entry(directory("a", 1))).putLocal(entry(directory("a/b", 2)))
        .putLocal(entry(directory("a/c", 3))));
    // The scanner's walk waits inside a visit for the control thread to record what it handed
    // over: a store that holds, while it visits, a lock its writes need would deadlock here.
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      List<RelativePath> seen = new ArrayList<>();
      store.forEachLocalUnder(path("a"), e -> {
        seen.add(e.record().path());
        try {
          other.submit(() -> {
            apply(new StoreBatch().putLocal(entry(directory("d" + seen.size(), 10 + seen.size()))));
            return store.local(path("d" + seen.size()));
          }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception failed) {
          throw new AssertionError("a batch from another thread did not land while a visit waited", failed);
        }
      });
      assertThat(seen).containsExactly(path("a/b"), path("a/c"));
      assertThat(store.local(path("d2"))).isPresent();
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  public void removeLocalRemovesTheEntryItsSequenceAndItsBlocks() {
    apply(new StoreBatch().putLocal(entry(file("a", 1, hash(1)))).putLocal(entry(file("b", 2, hash(2)))));
    apply(new StoreBatch().removeLocal(path("a")));

    assertThat(store.local(path("a"))).isEmpty();
    assertThat(locals(store)).extracting(e -> e.record().path()).containsExactly(path("b"));
    assertThat(store.localSince(0, 10)).extracting(FileRecord::path).containsExactly(path("b"));
    assertThat(store.blockLocations(hash(1), 10)).isEmpty();
    assertThat(store.blockLocations(hash(2), 10)).extracting(BlockLocation::path).containsExactly(path("b"));
  }

  @Test
  public void removingAnAbsentPathDoesNothing() {
    apply(new StoreBatch().putLocal(entry(directory("a", 1))));
    apply(new StoreBatch().removeLocal(path("never")));

    assertThat(locals(store)).hasSize(1);
    assertThat(store.lastSequence()).isEqualTo(1);
  }
}
