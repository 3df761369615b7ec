package dev.jsync.core.store;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The persistent index of one node: what this device has (local entries, by path and by
 * sequence number), what it knows of each peer's index, where local copies of blocks live, and
 * a little metadata. Implementations: {@code RocksDbIndexStore} (sync-store) and
 * {@code InMemoryIndexStore} (sync-testkit); both pass {@code IndexStoreContract}.
 *
 * <p>Every change goes through {@link #apply(StoreBatch)}, atomically: after a crash a reopened
 * store shows every batch either whole or not at all. Reads see every applied batch.
 *
 * <p>Implementations must be safe for concurrent use (the engine writes from its control thread
 * and reads blocks' locations from I/O threads); they may block on disk I/O. A visit
 * ({@link #forEachLocal} and its kin) must not hold, while it calls its action, a lock that
 * {@link #apply} or a read on another thread needs: the scanner's action waits for the control
 * thread to record the changes it handed over, and that thread writes to the store
 * ({@code LocalEntriesContract.anotherThreadAppliesBatchesWhileAVisitWaitsForIt}).
 */
public interface IndexStore extends AutoCloseable {

  /** The local entry at {@code path}. */
  Optional<LocalEntry> local(RelativePath path);

  /**
   * Calls {@code action} for every local entry, in path order ({@link RelativePath}'s natural
   * order). The iteration sees the store as it was when the call began; {@code action} may apply
   * batches, which it will not see.
   */
  void forEachLocal(Consumer<LocalEntry> action);

  /**
   * Calls {@code action} with the {@link LocalSummary} of every local entry, in path order, with
   * the same view of the store as {@link #forEachLocal}: what the periodic full scan reads, once
   * a minute, for every file. The default summarises {@link #forEachLocal}; a store whose values
   * are encoded can override it to decode only the summary's fields.
   */
  default void forEachLocalSummary(Consumer<LocalSummary> action) {
    forEachLocal(entry -> action.accept(LocalSummary.of(entry)));
  }

  /**
   * Calls {@code action} for every local entry strictly below {@code dir} (not {@code dir}
   * itself), in path order. The default filters {@link #forEachLocal}; stores with ordered keys
   * override it with a range scan.
   */
  default void forEachLocalUnder(RelativePath dir, Consumer<LocalEntry> action) {
    forEachLocal(entry -> {
      RelativePath p = entry.record().path();
      if (!p.equals(dir) && dir.contains(p)) {
        action.accept(entry);
      }
    });
  }

  /**
   * Up to {@code limit} local records with a sequence number greater than {@code afterSequence},
   * in increasing sequence order: what a peer that has read up to {@code afterSequence} lacks.
   * A path put several times is listed once, under its latest sequence number.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  List<FileRecord> localSince(long afterSequence, int limit);

  /**
   * The highest sequence number ever given to a local record, 0 for a new store. It never goes
   * down, not even when the record holding it is removed, so that a sequence number is never
   * reused (a peer that has read up to it would otherwise miss the record that reuses it).
   */
  long lastSequence();

  /** The last record received from {@code peer} for {@code path}. */
  Optional<FileRecord> remote(DeviceId peer, RelativePath path);

  /**
   * Calls {@code action} for every record held of {@code peer}'s index, in path order. Like
   * {@link #forEachLocal}, the iteration sees the store as it was when the call began.
   */
  void forEachRemote(DeviceId peer, Consumer<FileRecord> action);

  /** How far {@code peer}'s index has been read; {@link IndexPosition#NONE} if never. */
  IndexPosition position(DeviceId peer);

  /** Every peer this store holds a position or records for. */
  Set<DeviceId> peers();

  /**
   * Up to {@code limit} local files holding a block with this hash, each file once, in no
   * particular order. Only live files are indexed: tombstones, folders and symlinks have no
   * blocks.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  List<BlockLocation> blockLocations(Sha256 hash, int limit);

  /**
   * The version of the last tombstone at {@code path} that this node forgot once it expired
   * ({@link StoreBatch.PutExpired}), if any. Peers keep their own tombstones of that delete; this
   * tells a record of one (received again, or read back at a restart) from a delete that is new
   * here. It stays when a later record is put at the path (the engine consults it only for paths
   * with no local entry) and is replaced when a later tombstone there expires.
   */
  Optional<VersionVector> expired(RelativePath path);

  /**
   * The folders recorded as made on disk only to hold a download
   * ({@link StoreBatch.PutDownloadFolder}), in path order.
   */
  List<RelativePath> downloadFolders();

  /** A metadata value (a copy: changing it does not change the store). */
  Optional<byte[]> metadata(String key);

  /**
   * Applies every operation of {@code batch}, all or nothing.
   *
   * @throws IllegalArgumentException if an operation breaks a rule stated on it (see
   *     {@link StoreBatch.PutLocal}); the store is unchanged
   * @throws StoreException if the batch could not be written; the store is unchanged
   */
  void apply(StoreBatch batch);

  /**
   * Releases the store; further calls throw {@link IllegalStateException}. Idempotent. Waits for
   * calls in progress on other threads to finish.
   */
  @Override
  void close();
}
