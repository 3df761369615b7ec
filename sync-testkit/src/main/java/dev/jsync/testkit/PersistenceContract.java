package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.BOB;
import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Records at the edges of the model round-trip exactly, and
 * everything survives a reopen. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class PersistenceContract extends StoreContractArea {

  PersistenceContract(IndexStoreContract contract) {
    super(contract);
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
        .putMetadata("name", bytes("laptop"))
        .putExpired(path("old"), SampleRecords.vector(BOB, 4))
        .putDownloadFolder(path("inbox"), true)
        .putDownloadFolder(path("inbox/sub"), true));
    apply(new StoreBatch().removeLocal(path("c")).putDownloadFolder(path("inbox/sub"), false));
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
    assertThat(store.expired(path("old"))).contains(SampleRecords.vector(BOB, 4));
    assertThat(store.downloadFolders()).containsExactly(path("inbox"));
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
        .putExpired(path("e"), SampleRecords.vector(BOB, 1))
        .putDownloadFolder(path("d"), true)
        .putLocal(entry(directory("b", 2)))
        .putLocal(entry(directory("c", 2)))));

    store = reopen(store, dir);

    assertThat(locals(store)).containsExactly(entry(directory("a", 1)));
    assertThat(store.lastSequence()).isEqualTo(1);
    assertThat(store.metadata("m")).isEmpty();
    assertThat(store.expired(path("e"))).isEmpty();
    assertThat(store.downloadFolders()).isEmpty();
  }
}
