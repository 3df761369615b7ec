package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static dev.jsync.testkit.SampleRecords.symlink;
import static dev.jsync.testkit.SampleRecords.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.StoreBatch;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. The block index (where each block hash can be read
 * locally) and the metadata entries. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class BlockIndexContract extends StoreContractArea {

  BlockIndexContract(IndexStoreContract contract) {
    super(contract);
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

  // ---------------------------------------------------------------- marks: expired tombstones, download folders

  @Test
  public void anExpiredTombstonesVersionIsRememberedAndReplacedByALaterOne() {
    FileRecord gone = directory("gone", 1).toTombstone(SampleRecords.vector(SampleRecords.ALICE, 2), SampleRecords.ALICE, 5);
    apply(new StoreBatch().putLocal(entry(gone.withSequence(1))));
    apply(new StoreBatch().removeLocal(path("gone")).putExpired(path("gone"), gone.version()));

    assertThat(store.local(path("gone"))).isEmpty();
    assertThat(store.expired(path("gone"))).contains(gone.version());
    assertThat(store.expired(path("gon"))).isEmpty();
    assertThat(store.expired(path("gone/x"))).isEmpty();

    apply(new StoreBatch().putExpired(path("gone"), SampleRecords.vector(SampleRecords.ALICE, 7)));
    assertThat(store.expired(path("gone"))).contains(SampleRecords.vector(SampleRecords.ALICE, 7));
    apply(new StoreBatch().putLocal(entry(file("gone", 2, hash(1)))));
    assertThat(store.expired(path("gone"))).as("a later record leaves it").contains(SampleRecords.vector(SampleRecords.ALICE, 7));
  }

  @Test
  public void downloadFoldersAreAddedAndRemovedAndListedInPathOrder() {
    apply(new StoreBatch().putDownloadFolder(path("b"), true).putDownloadFolder(path("a/x"), true)
        .putDownloadFolder(path("a"), true).putDownloadFolder(path("a"), true));
    assertThat(store.downloadFolders()).containsExactly(path("a"), path("a/x"), path("b"));

    apply(new StoreBatch().putDownloadFolder(path("a/x"), false).putDownloadFolder(path("absent"), false));
    assertThat(store.downloadFolders()).containsExactly(path("a"), path("b"));
    assertThat(store.expired(path("a"))).as("a different kind of mark").isEmpty();
    assertThat(store.local(path("a"))).isEmpty();
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
}
