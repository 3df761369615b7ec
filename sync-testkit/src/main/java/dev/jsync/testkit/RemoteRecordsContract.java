package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.BOB;
import static dev.jsync.testkit.SampleRecords.CAROL;
import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static dev.jsync.testkit.SampleRecords.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Remote records, index positions and peers, each kept per
 * peer and apart from the local index. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class RemoteRecordsContract extends StoreContractArea {

  RemoteRecordsContract(IndexStoreContract contract) {
    super(contract);
  }

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
}
