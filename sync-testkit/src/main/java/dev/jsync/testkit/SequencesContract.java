package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.FileRecord;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Sequence numbers and {@code localSince}: order, limits,
 * the highest ever given, growth checks. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class SequencesContract extends StoreContractArea {

  SequencesContract(IndexStoreContract contract) {
    super(contract);
  }

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
}
