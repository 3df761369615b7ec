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
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.LocalSummary;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link IndexStore}: every implementation extends this class, provides
 * {@link #openStore(Path)}, and must pass every test. The tests pin the semantics the engine
 * relies on; the Javadoc of {@code IndexStore} and {@code StoreBatch} states them in words.
 *
 * <p>Sections, in order: local entries; sequence numbers and {@code localSince}; remote records,
 * positions and peers; the block index; metadata; batches (order, atomicity, validation);
 * round-trips of unusual records; lifecycle (close, concurrency); persistence across a reopen;
 * and a jqwik property that runs random batch scripts against a plain reference model.
 *
 * <p>JUnit creates a fresh instance, temp folder and store for every test. The property manages
 * its own temp folders, since JUnit's {@code @TempDir} does not reach jqwik. Test methods are
 * public because JUnit does not run package-private methods inherited from another package.
 */
public abstract class IndexStoreContract {

  /** Opens (creating if needed) a store keeping its state in {@code dir}. */
  protected abstract IndexStore openStore(Path dir);

  /**
   * Whether the store keeps its contents across {@link #reopen}; the persistence tests are
   * skipped when not.
   */
  protected boolean persistent() {
    return true;
  }

  /**
   * Simulates a process restart: closes {@code store} and returns a store over the same state.
   * By default {@code store.close()} then {@link #openStore(Path) openStore(dir)}.
   */
  protected IndexStore reopen(IndexStore store, Path dir) {
    store.close();
    return openStore(dir);
  }

  /** The state folder of the store under test: a fresh temp folder per test. */
  @TempDir
  protected Path dir;

  private IndexStore store;

  @BeforeEach
  public void openFreshStore() {
    store = openStore(dir);
  }

  @AfterEach
  public void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- local entries

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

  // ---------------------------------------------------------------- sequence numbers

  @Test
  public void localSinceListsRecordsAfterASequenceInSequenceOrder() {
    apply(new StoreBatch()
        .putLocal(entry(directory("c", 1)))
        .putLocal(entry(directory("a", 2)))
        .putLocal(entry(directory("b", 5))));

    assertThat(store.localSince(0, 10)).extracting(FileRecord::sequence).containsExactly(1L, 2L, 5L);
    assertThat(store.localSince(0, 10)).extracting(FileRecord::path).containsExactly(path("c"), path("a"), path("b"));
    assertThat(store.localSince(1, 10)).extracting(FileRecord::sequence).containsExactly(2L, 5L);
    assertThat(store.localSince(3, 10)).extracting(FileRecord::sequence).containsExactly(5L);
    assertThat(store.localSince(5, 10)).isEmpty();
    assertThat(store.localSince(-1, 10)).hasSize(3);
    assertThat(store.localSince(0, 10).get(0)).isEqualTo(directory("c", 1));
  }

  @Test
  public void localSinceReturnsAtMostLimitRecords() {
    StoreBatch batch = new StoreBatch();
    for (int i = 1; i <= 20; i++) {
      batch.putLocal(entry(directory("d" + i, i)));
    }
    apply(batch);

    assertThat(store.localSince(0, 5)).extracting(FileRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(store.localSince(17, 5)).extracting(FileRecord::sequence).containsExactly(18L, 19L, 20L);
    assertThat(store.localSince(0, 0)).isEmpty();
    assertThat(store.localSince(0, Integer.MAX_VALUE)).hasSize(20);
    assertThatThrownBy(() -> store.localSince(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void aPathPutAgainIsListedOnceUnderItsLatestSequence() {
    apply(new StoreBatch().putLocal(entry(file("a", 1, hash(1)))).putLocal(entry(directory("b", 2))));
    apply(new StoreBatch().putLocal(entry(file("a", 3, hash(2)))));

    assertThat(store.localSince(0, 10)).containsExactly(directory("b", 2), file("a", 3, hash(2)));
    assertThat(store.localSince(2, 10)).containsExactly(file("a", 3, hash(2)));
  }

  @Test
  public void lastSequenceIsTheHighestEverGivenAndNeverGoesDown() {
    apply(new StoreBatch().putLocal(entry(directory("a", 3))).putLocal(entry(directory("b", 7))));
    assertThat(store.lastSequence()).isEqualTo(7);

    apply(new StoreBatch().removeLocal(path("b")));
    assertThat(store.lastSequence()).isEqualTo(7);
    assertThatThrownBy(() -> store.apply(new StoreBatch().putLocal(entry(directory("b", 7)))))
        .isInstanceOf(IllegalArgumentException.class);

    apply(new StoreBatch().putLocal(entry(directory("c", 8))));
    assertThat(store.lastSequence()).isEqualTo(8);
  }

  @Test
  public void gapsBetweenSequenceNumbersAreAllowed() {
    apply(new StoreBatch().putLocal(entry(directory("a", 10))).putLocal(entry(directory("b", 1_000_000_000_000L))));
    assertThat(store.lastSequence()).isEqualTo(1_000_000_000_000L);
    assertThat(store.localSince(10, 10)).extracting(FileRecord::path).containsExactly(path("b"));
  }

  @Test
  public void reputtingTheStoredRecordUpdatesOnlyItsDiskStat() {
    FileRecord record = file("a", 1, hash(1));
    apply(new StoreBatch().putLocal(LocalEntry.withoutStat(record)).putLocal(entry(directory("b", 2))));
    LocalEntry restat = LocalEntry.of(record, new DiskStat(record.size(), 99, "inode 1"));
    apply(new StoreBatch().putLocal(restat));

    assertThat(store.local(path("a"))).contains(restat);
    assertThat(store.lastSequence()).isEqualTo(2);
    assertThat(store.localSince(0, 10)).containsExactly(record, directory("b", 2));
    assertThat(store.blockLocations(hash(1), 10)).extracting(BlockLocation::path).containsExactly(path("a"));
  }

  @Test
  public void putLocalRejectsASequenceThatDoesNotGrow() {
    apply(new StoreBatch().putLocal(entry(file("a", 5, hash(1)))));

    for (FileRecord bad : List.of(
        directory("b", 0),                 // no sequence assigned
        directory("b", 4),                 // new path below the last
        directory("b", 5),                 // new path at the last
        file("a", 5, hash(2)),             // same sequence, different record
        file("a", 4, hash(1)))) {          // the stored record under an older sequence
      assertThatThrownBy(() -> store.apply(new StoreBatch().putLocal(entry(bad))))
          .as("put %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.path().toString());
    }
    assertThat(locals(store)).containsExactly(entry(file("a", 5, hash(1))));
    assertThat(store.lastSequence()).isEqualTo(5);
  }

  @Test
  public void sequencesMustGrowWithinABatchToo() {
    assertThatThrownBy(() -> store.apply(new StoreBatch()
            .putLocal(entry(directory("a", 5)))
            .putLocal(entry(directory("b", 4)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(locals(store)).isEmpty();
    assertThat(store.lastSequence()).isZero();
  }

  // ---------------------------------------------------------------- remote records, positions, peers

  @Test
  public void putRemoteThenReadItBackPerPeer() {
    FileRecord fromAlice = file("a", 17, hash(1));
    FileRecord fromBob = tombstone("a", 3);
    apply(new StoreBatch().putRemote(ALICE, fromAlice).putRemote(BOB, fromBob));

    assertThat(store.remote(ALICE, path("a"))).contains(fromAlice);
    assertThat(store.remote(BOB, path("a"))).contains(fromBob);
    assertThat(store.remote(CAROL, path("a"))).isEmpty();
    assertThat(store.remote(ALICE, path("b"))).isEmpty();
  }

  @Test
  public void putRemoteReplacesThatPeersRecordAtThatPath() {
    apply(new StoreBatch().putRemote(ALICE, file("a", 1, hash(1))));
    apply(new StoreBatch().putRemote(ALICE, file("a", 9, hash(2))));

    assertThat(remotes(store, ALICE)).containsExactly(file("a", 9, hash(2)));
  }

  @Test
  public void remoteRecordsKeepThePeersSequenceAndLeaveTheLocalIndexAlone() {
    apply(new StoreBatch().putRemote(ALICE, file("a", 1_000, hash(1))));

    assertThat(store.remote(ALICE, path("a")).orElseThrow().sequence()).isEqualTo(1_000);
    assertThat(store.lastSequence()).isZero();
    assertThat(store.localSince(0, 10)).isEmpty();
    assertThat(locals(store)).isEmpty();
    assertThat(store.blockLocations(hash(1), 10)).as("remote blocks are not local copies").isEmpty();
    // Remote sequence numbers are the peer's: any value, in any order, is accepted.
    apply(new StoreBatch().putRemote(ALICE, file("b", 1, hash(1))));
  }

  @Test
  public void forEachRemoteVisitsOnePeersRecordsInPathOrder() {
    apply(new StoreBatch()
        .putRemote(ALICE, directory("\uff21", 1))
        .putRemote(ALICE, directory("\ud83d\ude00", 2))
        .putRemote(ALICE, directory("b", 3))
        .putRemote(BOB, directory("a", 4))
        .putRemote(CAROL, directory("c", 5)));

    assertThat(remotes(store, ALICE)).extracting(FileRecord::path)
        .containsExactly(path("b"), path("\ud83d\ude00"), path("\uff21"));
    assertThat(remotes(store, BOB)).containsExactly(directory("a", 4));
  }

  @Test
  public void positionIsNoneUntilSetAndThenTheLastSet() {
    assertThat(store.position(ALICE)).isEqualTo(IndexPosition.NONE);
    apply(new StoreBatch().setPosition(ALICE, new IndexPosition(7, 100)));
    assertThat(store.position(ALICE)).isEqualTo(new IndexPosition(7, 100));
    apply(new StoreBatch().setPosition(ALICE, new IndexPosition(-8, Long.MAX_VALUE)));
    assertThat(store.position(ALICE)).isEqualTo(new IndexPosition(-8, Long.MAX_VALUE));
    assertThat(store.position(BOB)).isEqualTo(IndexPosition.NONE);
  }

  @Test
  public void peersAreThoseWithAPositionOrRecords() {
    apply(new StoreBatch()
        .setPosition(ALICE, new IndexPosition(1, 1))
        .putRemote(BOB, directory("x", 1))
        .setPosition(CAROL, IndexPosition.NONE));

    assertThat(store.peers()).containsExactlyInAnyOrder(ALICE, BOB, CAROL);
  }

  @Test
  public void clearRemoteForgetsRecordsAndPositionOfThatPeerOnly() {
    apply(new StoreBatch()
        .putRemote(ALICE, directory("a", 1))
        .putRemote(ALICE, directory("b", 2))
        .setPosition(ALICE, new IndexPosition(1, 2))
        .putRemote(BOB, directory("a", 1))
        .setPosition(BOB, new IndexPosition(3, 1)));
    apply(new StoreBatch().clearRemote(ALICE));

    assertThat(remotes(store, ALICE)).isEmpty();
    assertThat(store.remote(ALICE, path("a"))).isEmpty();
    assertThat(store.position(ALICE)).isEqualTo(IndexPosition.NONE);
    assertThat(store.peers()).containsExactly(BOB);
    assertThat(remotes(store, BOB)).containsExactly(directory("a", 1));
    assertThat(store.position(BOB)).isEqualTo(new IndexPosition(3, 1));
  }

  @Test
  public void clearRemoteThenPutRemoteInOneBatchKeepsTheNewRecords() {
    apply(new StoreBatch().putRemote(ALICE, directory("old", 1)).setPosition(ALICE, new IndexPosition(1, 1)));
    apply(new StoreBatch()
        .putRemote(ALICE, directory("doomed", 2))
        .clearRemote(ALICE)
        .putRemote(ALICE, directory("new", 1))
        .setPosition(ALICE, new IndexPosition(2, 1)));

    assertThat(remotes(store, ALICE)).containsExactly(directory("new", 1));
    assertThat(store.position(ALICE)).isEqualTo(new IndexPosition(2, 1));
  }

  // ---------------------------------------------------------------- block index

  @Test
  public void putLocalIndexesEveryBlockOfAFile() {
    FileRecord f = file("f", 1, 5, hash(1), hash(2), hash(3));
    apply(new StoreBatch().putLocal(entry(f)));

    for (BlockInfo b : f.blocks()) {
      assertThat(store.blockLocations(b.hash(), 10))
          .containsExactly(new BlockLocation(path("f"), b.offset(), b.length()));
    }
    assertThat(f.blocks().get(2).length()).isEqualTo(BlockInfo.SIZE - 5);
  }

  @Test
  public void aFileHoldingAHashTwiceIsListedOnce() {
    FileRecord f = file("f", 1, hash(1), hash(2), hash(1));
    apply(new StoreBatch().putLocal(entry(f)));

    List<BlockLocation> locations = store.blockLocations(hash(1), 10);
    assertThat(locations).hasSize(1);
    assertThat(f.blocks()).contains(new BlockInfo(locations.get(0).offset(), locations.get(0).length(), hash(1)));
  }

  @Test
  public void replacingAFileMovesTheBlockIndexToTheNewVersion() {
    apply(new StoreBatch().putLocal(entry(file("f", 1, hash(1), hash(2)))).putLocal(entry(file("g", 2, hash(2)))));
    apply(new StoreBatch().putLocal(entry(file("f", 3, hash(2), hash(3)))));

    assertThat(store.blockLocations(hash(1), 10)).isEmpty();
    assertThat(ModelCheck.paths(store.blockLocations(hash(2), 10))).containsExactlyInAnyOrder(path("f"), path("g"));
    assertThat(store.blockLocations(hash(3), 10))
        .containsExactly(new BlockLocation(path("f"), BlockInfo.SIZE, BlockInfo.SIZE - 100));
  }

  @Test
  public void tombstonesFoldersAndSymlinksHaveNoBlocks() {
    apply(new StoreBatch().putLocal(entry(file("f", 1, hash(1)))).putLocal(entry(file("g", 2, hash(2)))));
    apply(new StoreBatch()
        .putLocal(entry(tombstone("f", 3)))
        .putLocal(entry(directory("g", 4)))
        .putLocal(entry(symlink("h", "f", 5))));

    assertThat(store.blockLocations(hash(1), 10)).isEmpty();
    assertThat(store.blockLocations(hash(2), 10)).isEmpty();
    assertThat(store.blockLocations(Sha256.EMPTY, 10)).isEmpty();
    assertThat(store.blockLocations(symlink("h", "f", 5).contentHash(), 10)).isEmpty();
  }

  @Test
  public void blockLocationsReturnsAtMostLimitDistinctFiles() {
    StoreBatch batch = new StoreBatch();
    for (int i = 1; i <= 5; i++) {
      batch.putLocal(entry(file("f" + i, i, hash(i + 10), hash(0))));
    }
    apply(batch);
    Set<RelativePath> all = Set.of(path("f1"), path("f2"), path("f3"), path("f4"), path("f5"));

    assertThat(ModelCheck.paths(store.blockLocations(hash(0), 10))).isEqualTo(all);
    List<BlockLocation> two = store.blockLocations(hash(0), 2);
    assertThat(two).hasSize(2);
    assertThat(all).containsAll(ModelCheck.paths(two));
    assertThat(ModelCheck.paths(two)).hasSize(2);
    assertThat(store.blockLocations(hash(0), 0)).isEmpty();
    assertThatThrownBy(() -> store.blockLocations(hash(0), -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void blockLocationsDoNotMixUpHashes() {
    apply(new StoreBatch().putLocal(entry(file("a", 1, hash(1)))).putLocal(entry(file("b", 2, hash(2)))));
    assertThat(ModelCheck.paths(store.blockLocations(hash(1), 10))).containsExactly(path("a"));
    assertThat(ModelCheck.paths(store.blockLocations(hash(2), 10))).containsExactly(path("b"));
    assertThat(store.blockLocations(hash(3), 10)).isEmpty();
  }

  // ---------------------------------------------------------------- metadata

  @Test
  public void metadataIsSetReplacedAndRemoved() {
    apply(new StoreBatch().putMetadata("name", bytes("laptop")).putMetadata("\u00fcber", new byte[0]));
    assertThat(store.metadata("name")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("laptop")));
    assertThat(store.metadata("\u00fcber")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.metadata("nam")).isEmpty();

    apply(new StoreBatch().putMetadata("name", bytes("desktop")));
    assertThat(store.metadata("name")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("desktop")));

    apply(new StoreBatch().putMetadata("name", null).putMetadata("absent", null));
    assertThat(store.metadata("name")).isEmpty();
    assertThat(store.metadata("absent")).isEmpty();
  }

  @Test
  public void metadataValuesAreCopies() {
    byte[] value = bytes("abc");
    StoreBatch batch = new StoreBatch().putMetadata("k", value);
    value[0] = 'X';
    apply(batch);
    store.metadata("k").orElseThrow()[1] = 'Y';

    assertThat(store.metadata("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("abc")));
  }

  // ---------------------------------------------------------------- batches

  @Test
  public void operationsApplyInOrderWithinABatch() {
    apply(new StoreBatch()
        .putMetadata("k", bytes("1"))
        .putMetadata("k", null)
        .putMetadata("j", null)
        .putMetadata("j", bytes("2"))
        .putLocal(entry(directory("a", 1)))
        .removeLocal(path("a"))
        .removeLocal(path("b"))
        .putLocal(entry(directory("b", 2)))
        .putRemote(ALICE, directory("r", 1))
        .clearRemote(ALICE)
        .setPosition(BOB, new IndexPosition(1, 1))
        .setPosition(BOB, new IndexPosition(1, 2)));

    assertThat(store.metadata("k")).isEmpty();
    assertThat(store.metadata("j")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2")));
    assertThat(locals(store)).containsExactly(entry(directory("b", 2)));
    assertThat(store.localSince(0, 10)).containsExactly(directory("b", 2));
    assertThat(store.lastSequence()).isEqualTo(2);
    assertThat(store.peers()).containsExactly(BOB);
    assertThat(store.position(BOB)).isEqualTo(new IndexPosition(1, 2));
  }

  @Test
  public void aPathPutTwiceInOneBatchKeepsTheSecondOnly() {
    apply(new StoreBatch()
        .putLocal(entry(file("a", 1, hash(1))))
        .putLocal(entry(file("a", 2, hash(2)))));

    assertThat(locals(store)).containsExactly(entry(file("a", 2, hash(2))));
    assertThat(store.localSince(0, 10)).containsExactly(file("a", 2, hash(2)));
    assertThat(store.blockLocations(hash(1), 10)).isEmpty();
    assertThat(store.blockLocations(hash(2), 10)).hasSize(1);
  }

  @Test
  public void aBatchThatFailsValidationMidwayAppliesNothing() {
    apply(new StoreBatch()
        .putLocal(entry(file("keep", 1, hash(1))))
        .putRemote(ALICE, directory("r", 1))
        .setPosition(ALICE, new IndexPosition(1, 1))
        .putMetadata("m", bytes("before")));

    StoreBatch bad = new StoreBatch()
        .putMetadata("m", bytes("after"))
        .putMetadata("new", bytes("x"))
        .removeLocal(path("keep"))
        .putLocal(entry(file("fresh", 2, hash(2))))
        .putRemote(ALICE, directory("r2", 1))
        .clearRemote(ALICE)
        .setPosition(BOB, new IndexPosition(1, 1))
        .putLocal(entry(directory("stale", 2)));   // sequence 2 was just used: invalid
    Throwable thrown = catchThrowable(() -> store.apply(bad));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stale");
    assertThat(locals(store)).containsExactly(entry(file("keep", 1, hash(1))));
    assertThat(store.localSince(0, 10)).containsExactly(file("keep", 1, hash(1)));
    assertThat(store.lastSequence()).isEqualTo(1);
    assertThat(store.blockLocations(hash(1), 10)).hasSize(1);
    assertThat(store.blockLocations(hash(2), 10)).isEmpty();
    assertThat(remotes(store, ALICE)).containsExactly(directory("r", 1));
    assertThat(store.position(ALICE)).isEqualTo(new IndexPosition(1, 1));
    assertThat(store.peers()).containsExactly(ALICE);
    assertThat(store.metadata("m")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("before")));
    assertThat(store.metadata("new")).isEmpty();

    // Nothing of the rejected batch was used up: the same sequence number is free.
    apply(new StoreBatch().putLocal(entry(file("fresh", 2, hash(2)))));
    assertThat(store.lastSequence()).isEqualTo(2);
  }

  @Test
  public void anEmptyBatchChangesNothing() {
    apply(new StoreBatch().putLocal(entry(directory("a", 1))));
    apply(new StoreBatch());
    assertThat(locals(store)).hasSize(1);
    assertThat(store.lastSequence()).isEqualTo(1);
  }

  @Test
  public void readersSeeBatchesWhole() throws Exception {
    // Each batch moves both "left" and "right" to the same new generation; a reader iterating
    // must never see them disagree.
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            List<LocalEntry> seen = locals(store);
            if (!seen.isEmpty()) {
              assertThat(seen).hasSize(2);
              assertThat(seen.get(0).record().modifiedNanos()).isEqualTo(seen.get(1).record().modifiedNanos());
            }
            List<FileRecord> since = store.localSince(0, 10);
            assertThat(since.size()).isIn(0, 2);
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      });
      reader.start();
      readers.add(reader);
    }
    try {
      long seq = 0;
      for (int generation = 1; generation <= 200; generation++) {
        apply(new StoreBatch()
            .putLocal(entry(generation("left", generation, ++seq)))
            .putLocal(entry(generation("right", generation, ++seq))));
      }
    } finally {
      stop.set(true);
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
    assertThat(failures).isEmpty();
  }

  // ---------------------------------------------------------------- round-trips

  @Test
  public void unusualRecordsRoundTripExactly() {
    for (LocalEntry e : unusualEntries()) {
      apply(new StoreBatch().putLocal(e).putRemote(ALICE, e.record()));
    }
    for (LocalEntry e : unusualEntries()) {
      assertThat(store.local(e.record().path())).as("local %s", e.record().path()).contains(e);
      assertThat(store.remote(ALICE, e.record().path())).as("remote %s", e.record().path()).contains(e.record());
    }
    assertThat(store.localSince(0, 100)).containsExactlyElementsOf(
        unusualEntries().stream().map(LocalEntry::record).toList());
  }

  @Test
  public void aFileOverFourGibibytesRoundTripsWithAllItsBlocks() {
    long size = 5L * 1024 * 1024 * 1024 + 1;
    List<Sha256> hashes = new ArrayList<>();
    for (long i = 0; i < BlockInfo.count(size); i++) {
      hashes.add(hash((int) (i % 7)));
    }
    FileRecord big = FileRecord.file(path("video/big.mkv"), size, 123, true,
        SampleRecords.blocks(size, hashes), hash(99), SampleRecords.vector(ALICE, 3), ALICE).withSequence(1);
    LocalEntry entry = LocalEntry.of(big, new DiskStat(size, 123, "ino"));
    apply(new StoreBatch().putLocal(entry));

    assertThat(big.blocks()).hasSize(40_961);
    assertThat(store.local(big.path())).contains(entry);
    assertThat(store.localSince(0, 1)).containsExactly(big);
    assertThat(store.blockLocations(hash(6), 10)).containsExactly(new BlockLocation(big.path(), 6L * BlockInfo.SIZE, BlockInfo.SIZE));
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  public void closeIsIdempotent() {
    store.close();
    store.close();
  }

  @Test
  public void everyCallAfterCloseFailsClearly() {
    store.close();
    List<Consumer<IndexStore>> calls = List.of(
        s -> s.local(path("a")),
        s -> s.forEachLocal(e -> { }),
        s -> s.localSince(0, 1),
        IndexStore::lastSequence,
        s -> s.remote(ALICE, path("a")),
        s -> s.forEachRemote(ALICE, r -> { }),
        s -> s.position(ALICE),
        IndexStore::peers,
        s -> s.blockLocations(hash(1), 1),
        s -> s.metadata("k"),
        s -> s.apply(new StoreBatch().putMetadata("k", bytes("v"))));
    for (Consumer<IndexStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  public void closingWhileOthersReadMakesThemFailCleanly() throws Exception {
    StoreBatch batch = new StoreBatch();
    for (int i = 1; i <= 200; i++) {
      batch.putLocal(entry(file("f" + i, i, hash(i % 5))));
    }
    apply(batch);
    CountDownLatch started = new CountDownLatch(2);
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread reader = new Thread(() -> {
        started.countDown();
        try {
          while (true) {
            locals(store);
            store.localSince(0, 50);
            store.blockLocations(hash(1), 10);
          }
        } catch (IllegalStateException expected) {
          // The store was closed.
        } catch (Throwable t) {
          unexpected.add(t);
        }
      });
      reader.start();
      readers.add(reader);
    }
    started.await();
    Thread.sleep(50);
    store.close();
    for (Thread reader : readers) {
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(reader.isAlive()).isFalse();
    }
    assertThat(unexpected).isEmpty();
  }

  // ---------------------------------------------------------------- persistence

  @Test
  public void everythingSurvivesAReopen() {
    Assumptions.assumeTrue(persistent(), "not a persistent store");
    apply(new StoreBatch()
        .putLocal(entry(file("a", 1, hash(11))))
        .putLocal(entry(directory("b", 2)))
        .putLocal(entry(file("c", 3, hash(11), hash(12))))
        .putRemote(ALICE, file("r", 40, hash(13)))
        .setPosition(ALICE, new IndexPosition(9, 40))
        .setPosition(BOB, new IndexPosition(1, 2))
        .putMetadata("name", bytes("laptop")));
    apply(new StoreBatch().removeLocal(path("c")));
    for (LocalEntry e : unusualEntries()) {
      apply(new StoreBatch().putLocal(e));
    }
    List<LocalEntry> before = locals(store);
    long last = store.lastSequence();

    store = reopen(store, dir);

    assertThat(locals(store)).containsExactlyElementsOf(before);
    assertThat(store.lastSequence()).isEqualTo(last);
    assertThat(store.localSince(0, 1000)).hasSize(before.size());
    assertThat(remotes(store, ALICE)).containsExactly(file("r", 40, hash(13)));
    assertThat(store.position(ALICE)).isEqualTo(new IndexPosition(9, 40));
    assertThat(store.peers()).containsExactlyInAnyOrder(ALICE, BOB);
    assertThat(ModelCheck.paths(store.blockLocations(hash(11), 10))).containsExactly(path("a"));
    assertThat(store.blockLocations(hash(12), 10)).isEmpty();
    assertThat(store.metadata("name")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("laptop")));
  }

  @Test
  public void lastSequenceSurvivesAReopenAfterItsRecordWasRemoved() {
    Assumptions.assumeTrue(persistent(), "not a persistent store");
    apply(new StoreBatch().putLocal(entry(directory("a", 1))).putLocal(entry(directory("b", 2))));
    apply(new StoreBatch().removeLocal(path("b")));

    store = reopen(store, dir);

    assertThat(store.lastSequence()).isEqualTo(2);
    assertThatThrownBy(() -> store.apply(new StoreBatch().putLocal(entry(directory("b", 2)))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void aRejectedBatchLeavesNothingBehindAfterAReopen() {
    Assumptions.assumeTrue(persistent(), "not a persistent store");
    apply(new StoreBatch().putLocal(entry(directory("a", 1))));
    catchThrowable(() -> store.apply(new StoreBatch()
        .putMetadata("m", bytes("x"))
        .putLocal(entry(directory("b", 2)))
        .putLocal(entry(directory("c", 2)))));

    store = reopen(store, dir);

    assertThat(locals(store)).containsExactly(entry(directory("a", 1)));
    assertThat(store.lastSequence()).isEqualTo(1);
    assertThat(store.metadata("m")).isEmpty();
  }

  // ---------------------------------------------------------------- model-based property

  /**
   * Random scripts of batches (and restarts) give the same answers from the store as from a
   * plain reference model, after every step; a batch the model rejects, the store rejects too,
   * with an {@link IllegalArgumentException}, and changes nothing.
   */
  @Property(tries = 60)
  public void behavesLikeTheReferenceModel(@ForAll("storeScripts") List<StoreScripts.Step> script) throws IOException {
    Path root = Files.createTempDirectory("jsync-store-contract");
    IndexStore s = openStore(root);
    try {
      ReferenceIndex model = new ReferenceIndex();
      for (StoreScripts.Step step : script) {
        StoreBatch batch = StoreScripts.batch(step.ops(), model);
        boolean accepted = model.apply(batch);
        if (accepted) {
          s.apply(batch);
        } else {
          IndexStore target = s;
          assertThatThrownBy(() -> target.apply(batch)).isInstanceOf(IllegalArgumentException.class);
        }
        if (step.reopen() && persistent()) {
          s = reopen(s, root);
        }
        ModelCheck.assertMatches(s, model);
      }
    } finally {
      s.close();
      deleteRecursively(root);
    }
  }

  @Provide
  public Arbitrary<List<StoreScripts.Step>> storeScripts() {
    return StoreScripts.scripts();
  }

  // ---------------------------------------------------------------- helpers

  private void apply(StoreBatch batch) {
    store.apply(batch);
  }

  private static LocalEntry entry(FileRecord record) {
    return LocalEntry.withoutStat(record);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<LocalEntry> locals(IndexStore s) {
    List<LocalEntry> out = new ArrayList<>();
    s.forEachLocal(out::add);
    return out;
  }

  private static List<FileRecord> remotes(IndexStore s, DeviceId peer) {
    List<FileRecord> out = new ArrayList<>();
    s.forEachRemote(peer, out::add);
    return out;
  }

  private static FileRecord generation(String path, int generation, long sequence) {
    return FileRecord.directory(path(path), generation, SampleRecords.vector(ALICE, generation), ALICE)
        .withSequence(sequence);
  }

  /** Records at the edges of what the model allows, in increasing sequence order. */
  private static List<LocalEntry> unusualEntries() {
    VersionVector manyDevices = VersionVector.of(Map.of(
        ALICE, 1L, BOB, 1_700_000_000L, CAROL, Long.MAX_VALUE, DeviceId.fromName("dave"), 127L,
        DeviceId.fromName("eve"), 128L));
    String longName = "n".repeat(RelativePath.MAX_SEGMENT_BYTES);
    String longPath = String.join("/", Collections.nCopies(16, longName)); // 4095 bytes
    return List.of(
        LocalEntry.of(new FileRecord(path("\u65e5\u672c\u8a9e/\u00e9t\u00e9 \ud83c\udf1e.md"), FileKind.FILE, 3,
                -1_000_000_123L, true, SampleRecords.blocks(3, List.of(hash(1))), hash(2), "", manyDevices, CAROL,
                false, 0, 100),
            new DiskStat(3, Long.MIN_VALUE, "")),
        LocalEntry.withoutStat(new FileRecord(path("empty"), FileKind.FILE, 0, 0, false, List.of(), Sha256.EMPTY,
            "", VersionVector.empty(), ALICE, false, 0, 101)),
        LocalEntry.of(symlink("links/\u2192 up", "../\u00fcber/\ud83d\ude00 target", 102),
            new DiskStat(0, Long.MAX_VALUE, "dev=2049,ino=18446744073709551615")),
        LocalEntry.withoutStat(tombstone("gone/\u0414\u0430", 103)),
        LocalEntry.withoutStat(new FileRecord(path("gone-link"), FileKind.SYMLINK, 0, 5, false, List.of(),
            Sha256.EMPTY, "", manyDevices, BOB, true, Long.MAX_VALUE, 104)),
        LocalEntry.withoutStat(directory(longPath, 105)),
        LocalEntry.withoutStat(directory("z", Long.MAX_VALUE - 1)));
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
