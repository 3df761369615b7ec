package dev.jsync.store;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.LocalSummary;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IndexStore} of a jSync node, on RocksDB: one column family per index (local
 * entries, the sequence index, peers' records, peers' positions, the block index, metadata),
 * values in a small versioned binary format of its own. {@code docs/store.md} has the layouts.
 *
 * <p><b>Where.</b> {@link #open(Path)} takes the node's state folder; by convention it is
 * {@code <folder>/.jsync/} (the CLI passes it, and an embedder may choose any other). The store
 * keeps its RocksDB files in {@code index/} under it and takes an exclusive lock on the file
 * {@code lock} there before opening RocksDB, so a second process (or a second store in this JVM)
 * gets a {@link StoreException} saying "state folder ... is already in use by process N".
 *
 * <p><b>Durability.</b> Every {@link #apply} is one RocksDB write batch (atomic), written to the
 * write-ahead log with {@code sync = true}: when {@code apply} returns, the batch is on disk.
 * Without the fsync a power cut could roll the store back by a few batches whose sequence numbers
 * peers have already seen, and the next records would reuse those numbers, which peers skip.
 * The cost is one fsync per batch, so the engine groups many changes (a scan's) into one batch.
 * After a crash, RocksDB replays the WAL to the last whole batch: the store is consistent, holds
 * every batch whose {@code apply} returned, and the engine's next scan reconciles it with the
 * files on disk.
 *
 * <p><b>Format.</b> The store records its format version; one written by a newer jSync is
 * refused with a clear {@link StoreException} and left untouched.
 *
 * <p><b>Memory.</b> One 16 MiB cache bounds RocksDB's blocks, indexes, filters and memtables;
 * see {@code docs/store.md}.
 *
 * <p>Thread-safe: reads run concurrently (each iteration over a consistent snapshot); writes are
 * serialised; {@link #close()} waits for calls in progress. The last sequence number is read
 * once at open and kept in memory. Every method does disk I/O, except {@link #lastSequence()}.
 */
public final class RocksDbIndexStore implements IndexStore {

  private static final Logger log = LoggerFactory.getLogger(RocksDbIndexStore.class);

  private final OpenDatabase database;
  private final RocksDB db;
  private final ColumnFamilies cf;
  private final Path stateDir;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Object writeLock = new Object();
  private volatile long lastSequence;
  private volatile boolean closed;

  private RocksDbIndexStore(OpenDatabase database) {
    this.database = database;
    this.db = database.db();
    this.cf = database.families();
    this.stateDir = database.stateDir();
    this.lastSequence = database.lastSequenceAtOpen();
  }

  /**
   * The system property that names a folder to keep RocksDB's native library in, extracted once
   * per version, instead of in a new temp file at every start (which a killed process leaves
   * behind). The CLI sets it to the user's cache folder; embedders may set it before the first
   * {@link #open}. Unset, RocksDB's own loader is used.
   */
  public static final String NATIVE_LIBRARY_DIR_PROPERTY = "jsync.native.dir";

  /**
   * Opens the store in {@code stateDir} (by convention {@code <folder>/.jsync}), creating the
   * folder and an empty store if needed.
   *
   * @throws StoreException if the folder is in use by another process or store, holds an index
   *     of a newer format or a corrupt one, or cannot be opened; nothing stays open or locked
   */
  public static RocksDbIndexStore open(Path stateDir) {
    return open(stateDir, true);
  }

  /** As {@link #open(Path)}; {@code syncWrites = false} skips the fsync (benchmarks only). */
  static RocksDbIndexStore open(Path stateDir, boolean syncWrites) {
    Objects.requireNonNull(stateDir, "stateDir");
    long start = System.nanoTime();
    RocksDbIndexStore store = new RocksDbIndexStore(OpenDatabase.open(stateDir.toAbsolutePath(), syncWrites));
    log.debug("opened the index in {} (last sequence {}) in {} ms", store.stateDir, store.lastSequence,
        (System.nanoTime() - start) / 1_000_000);
    return store;
  }

  @Override
  public Optional<LocalEntry> local(RelativePath path) {
    Objects.requireNonNull(path, "path");
    return read(() -> "read the local entry '" + path + "'", () -> {
      byte[] value = db.get(cf.local(), Keys.path(path));
      return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeLocal(path, value));
    });
  }

  @Override
  public void forEachLocal(Consumer<LocalEntry> action) {
    Objects.requireNonNull(action, "action");
    read(() -> "iterate over the local entries", () -> {
      try (ReadOptions scan = fullScan(); RocksIterator it = db.newIterator(cf.local(), scan)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          action.accept(RecordCodec.decodeLocal(Keys.path(key, 0, key.length), it.value()));
        }
        it.status();
      }
      return null;
    });
  }

  /**
   * As {@link #forEachLocal}, decoding only the summary's fields of each value. The periodic
   * full scan runs this over every entry, so keys and values are copied into two reused buffers
   * rather than into two new arrays an entry.
   */
  @Override
  public void forEachLocalSummary(Consumer<LocalSummary> action) {
    Objects.requireNonNull(action, "action");
    read(() -> "iterate over the local entries' summaries", () -> {
      byte[] key = new byte[256];
      byte[] value = new byte[1024];
      try (ReadOptions scan = fullScan(); RocksIterator it = db.newIterator(cf.local(), scan)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          int keyLength = it.key(key);
          if (keyLength > key.length) {
            key = new byte[Math.max(keyLength, 2 * key.length)];
            it.key(key);
          }
          int valueLength = it.value(value);
          if (valueLength > value.length) {
            value = new byte[Math.max(valueLength, 2 * value.length)];
            it.value(value);
          }
          action.accept(RecordCodec.decodeLocalSummary(Keys.path(key, 0, keyLength), value, valueLength));
        }
        it.status();
      }
      return null;
    });
  }

  /** A range scan over the keys that start with {@code dir/}: only the subtree is read. */
  @Override
  public void forEachLocalUnder(RelativePath dir, Consumer<LocalEntry> action) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(action, "action");
    read(() -> "iterate over the local entries under " + dir, () -> {
      byte[] base = Keys.path(dir);
      byte[] prefix = java.util.Arrays.copyOf(base, base.length + 1);
      prefix[base.length] = '/';
      try (ReadOptions scan = fullScan(); RocksIterator it = db.newIterator(cf.local(), scan)) {
        for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
          byte[] key = it.key();
          action.accept(RecordCodec.decodeLocal(Keys.path(key, 0, key.length), it.value()));
        }
        it.status();
      }
      return null;
    });
  }

  @Override
  public List<FileRecord> localSince(long afterSequence, int limit) {
    checkLimit(limit);
    return read(() -> "list local records after sequence " + afterSequence, () -> {
      List<FileRecord> out = new ArrayList<>(Math.min(limit, 1024));
      if (limit == 0 || afterSequence == Long.MAX_VALUE) {
        return out;
      }
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions consistent = new ReadOptions().setSnapshot(snapshot);
           RocksIterator it = db.newIterator(cf.sequence(), consistent)) {
        for (it.seek(Keys.sequence(Math.max(0, afterSequence + 1))); it.isValid() && out.size() < limit; it.next()) {
          long sequence = Keys.sequence(it.key());
          byte[] pathKey = it.value();
          RelativePath path = Keys.path(pathKey, 0, pathKey.length);
          byte[] value = db.get(cf.local(), consistent, pathKey);
          FileRecord record = value == null ? null : RecordCodec.decodeLocal(path, value).record();
          if (record == null || record.sequence() != sequence) {
            throw new CorruptDataException("sequence " + sequence + " points at '" + path + "', whose local entry "
                + (record == null ? "is missing" : "has sequence " + record.sequence()));
          }
          out.add(record);
        }
        it.status();
      } finally {
        db.releaseSnapshot(snapshot);
      }
      return out;
    });
  }

  @Override
  public long lastSequence() {
    return read(() -> "read the last sequence", () -> lastSequence);
  }

  @Override
  public Optional<FileRecord> remote(DeviceId peer, RelativePath path) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(path, "path");
    return read(() -> "read " + peer.shortId() + "'s record of '" + path + "'", () -> {
      byte[] value = db.get(cf.remote(), Keys.remote(peer, path));
      return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeRecord(path, value));
    });
  }

  @Override
  public void forEachRemote(DeviceId peer, Consumer<FileRecord> action) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(action, "action");
    read(() -> "iterate over " + peer.shortId() + "'s records", () -> {
      byte[] prefix = Keys.peer(peer);
      try (ReadOptions scan = fullScan(); RocksIterator it = db.newIterator(cf.remote(), scan)) {
        for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
          RelativePath path = Keys.pathAfter32(it.key());
          action.accept(RecordCodec.decodeRecord(path, it.value()));
        }
        it.status();
      }
      return null;
    });
  }

  @Override
  public IndexPosition position(DeviceId peer) {
    Objects.requireNonNull(peer, "peer");
    return read(() -> "read the index position of " + peer.shortId(), () -> {
      byte[] value = db.get(cf.position(), Keys.peer(peer));
      return value == null ? IndexPosition.NONE : RecordCodec.decodePosition(value);
    });
  }

  @Override
  public Set<DeviceId> peers() {
    return read(() -> "list peers", () -> {
      Set<DeviceId> out = new HashSet<>();
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions consistent = new ReadOptions().setSnapshot(snapshot);
           RocksIterator positions = db.newIterator(cf.position(), consistent);
           RocksIterator remotes = db.newIterator(cf.remote(), consistent)) {
        for (positions.seekToFirst(); positions.isValid(); positions.next()) {
          out.add(Keys.peerOf(positions.key()));
        }
        positions.status();
        // One seek per peer: jump past each peer's records to the next peer's first one.
        for (remotes.seekToFirst(); remotes.isValid(); ) {
          DeviceId peer = Keys.peerOf(remotes.key());
          out.add(peer);
          remotes.seek(Keys.pathPrefixEnd(Keys.peer(peer)));
        }
        remotes.status();
      } finally {
        db.releaseSnapshot(snapshot);
      }
      return Set.copyOf(out);
    });
  }

  @Override
  public List<BlockLocation> blockLocations(Sha256 hash, int limit) {
    Objects.requireNonNull(hash, "hash");
    checkLimit(limit);
    return read(() -> "look up block " + hash, () -> {
      List<BlockLocation> out = new ArrayList<>(Math.min(limit, 16));
      byte[] prefix = hash.toBytes();
      try (RocksIterator it = db.newIterator(cf.block())) {
        for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix) && out.size() < limit; it.next()) {
          long[] offsetAndLength = RecordCodec.decodeBlock(it.value());
          out.add(new BlockLocation(Keys.pathAfter32(it.key()), offsetAndLength[0], (int) offsetAndLength[1]));
        }
        it.status();
      }
      return out;
    });
  }

  @Override
  public Optional<VersionVector> expired(RelativePath path) {
    Objects.requireNonNull(path, "path");
    return read(() -> "read the expired tombstone of '" + path + "'", () -> {
      byte[] value = db.get(cf.marks(), Keys.mark(Keys.EXPIRED, path));
      return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeVersion(value));
    });
  }

  @Override
  public List<RelativePath> downloadFolders() {
    return read(() -> "list the download folders", () -> {
      List<RelativePath> out = new ArrayList<>();
      byte[] prefix = {Keys.DOWNLOAD_FOLDER};
      try (ReadOptions scan = fullScan(); RocksIterator it = db.newIterator(cf.marks(), scan)) {
        for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
          out.add(Keys.pathOfMark(it.key()));
        }
        it.status();
      }
      return out;
    });
  }

  @Override
  public Optional<byte[]> metadata(String key) {
    Objects.requireNonNull(key, "key");
    return read(() -> "read metadata '" + key + "'",
        () -> Optional.ofNullable(db.get(cf.meta(), Keys.metadata(key))));
  }

  @Override
  public void apply(StoreBatch batch) {
    Objects.requireNonNull(batch, "batch");
    read(() -> "write " + describe(batch), () -> {
      synchronized (writeLock) {
        lastSequence = BatchWriter.write(db, cf, database.options().write(), batch, lastSequence);
      }
      return null;
    });
  }

  @Override
  public void close() {
    if (lifecycle.getReadHoldCount() > 0) {
      throw new IllegalStateException("close() called from inside a callback of this store");
    }
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      database.close();
      log.debug("closed the index in {}", stateDir);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Gives back the memory the memtables hold: writes them out to table files (every batch is
   * already durable in the write-ahead log; this only moves it) and waits until they are
   * released. For a node that has gone idle after a sync: the memtables of a 10,000-file
   * folder's initial sync hold several MiB that would otherwise stay until the next restart.
   * Reads and writes may go on meanwhile.
   *
   * @return the bytes the memtables held before
   * @throws StoreException if RocksDB fails
   */
  public long releaseMemory() {
    return read(() -> "flush the memtables", () -> {
      long before = db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
      try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
        db.flush(wait, database.handles());
      }
      if (log.isDebugEnabled()) {
        log.debug("memtables flushed ({} KiB before); now {}", before >> 10, nativeMemorySummary());
      }
      return before;
    });
  }

  /** The bytes the memtables hold now (for tests and diagnostics). */
  long memtableBytes() {
    return read(() -> "read the memtables' size",
        () -> db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables"));
  }

  /**
   * RocksDB's own memory figures, for benchmarks and diagnostics: the shared cache's usage
   * (which includes the memtables, charged to it), the memtables alone, and table readers
   * outside the cache.
   */
  String nativeMemorySummary() {
    return read(() -> "read RocksDB's memory figures", () -> String.format(
        "block cache %.1f MiB (memtables %.1f MiB of it), table readers outside the cache %.1f MiB",
        db.getLongProperty(cf.store(), "rocksdb.block-cache-usage") / 1048576.0,
        db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables") / 1048576.0,
        db.getAggregatedLongProperty("rocksdb.estimate-table-readers-mem") / 1048576.0));
  }

  @Override
  public String toString() {
    return "RocksDbIndexStore[" + stateDir + "]";
  }

  /** A call into RocksDB; may fail with RocksDB's checked exception. */
  private interface Call<T> {
    T run() throws RocksDBException;
  }

  /** What a call was doing, for error messages; built only when one fails. */
  private interface Doing {
    String describe();
  }

  /**
   * Runs {@code call} while the store is open, turning RocksDB errors and undecodable data into
   * {@link StoreException}s that say what was being done. Writes run through here too: the
   * lifecycle lock only keeps {@link #close()} out while native handles are in use.
   */
  private <T> T read(Doing doing, Call<T> call) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the index store in " + stateDir + " is closed");
      }
      return call.run();
    } catch (RocksDBException e) {
      throw new StoreException("cannot " + doing.describe() + " in the index in " + stateDir + ": "
          + e.getMessage(), e);
    } catch (CorruptDataException e) {
      throw new StoreException("the index in " + stateDir + " is corrupt: could not " + doing.describe() + ": "
          + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Options for iterating over a whole index: the blocks read are not added to the cache, so the
   * periodic full scan neither grows memory nor evicts the blocks point lookups keep using.
   */
  private static ReadOptions fullScan() {
    return new ReadOptions().setFillCache(false);
  }

  private static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
  }

  private static String describe(StoreBatch batch) {
    if (batch.isEmpty()) {
      return "an empty batch";
    }
    return "a batch of " + batch.size() + " operations (the first: " + batch.ops().get(0) + ")";
  }
}
