package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.BOB;
import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jsync.core.FileRecord;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Batches: operations apply in order, validation rejects a
 * batch whole, readers see batches whole. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class BatchesContract extends StoreContractArea {

  BatchesContract(IndexStoreContract contract) {
    super(contract);
  }

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
}
