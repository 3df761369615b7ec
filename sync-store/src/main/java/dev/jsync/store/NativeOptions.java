package dev.jsync.store;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB options of the store, tuned for a small index on a small machine: a node should
 * idle well under 100 MiB of resident memory, so RocksDB gets one modest, shared budget instead
 * of its per-column-family defaults (64 MiB memtables each, uncached index blocks).
 *
 * <ul>
 *   <li>One {@value #CACHE_MIB} MiB LRU cache shared by every column family holds data blocks,
 *       index and filter blocks ({@code cache_index_and_filter_blocks}), so table readers do not
 *       grow outside it as the store grows.
 *   <li>A write buffer manager charges all memtables to that cache and caps them at
 *       {@value #MEMTABLE_MIB} MiB in total; each column family flushes at
 *       {@value #WRITE_BUFFER_MIB} MiB and keeps at most 2 memtables.
 *   <li>The WAL is capped at {@value #MAX_WAL_MIB} MiB: past that, RocksDB flushes the column
 *       families that pin old WAL files (the metadata ones are written rarely).
 *   <li>Two background jobs (flush and compaction) for two-core machines; at most 256 open files.
 *   <li>LZ4 compression; bloom filters (10 bits a key) only where the store makes point lookups.
 *   <li>RocksDB's own LOG file at WARN level, at most 3 files of 1 MiB; no statistics dumps.
 *   <li>WAL recovery to the last consistent point: after a crash, every batch that reached the
 *       WAL whole is replayed, and a torn tail is dropped.
 * </ul>
 *
 * Owns the native option objects; close after the database. Not thread-safe.
 */
final class NativeOptions implements AutoCloseable {

  static final long CACHE_MIB = 16;
  static final long MEMTABLE_MIB = 8;
  static final long WRITE_BUFFER_MIB = 4;
  static final long MAX_WAL_MIB = 32;
  private static final long MIB = 1024 * 1024;

  private final List<AutoCloseable> owned = new ArrayList<>();
  private final DBOptions db;
  private final ColumnFamilyOptions pointLookups;
  private final ColumnFamilyOptions scans;
  private final WriteOptions write;

  /** @param syncWrites whether every write waits for the WAL to reach the disk (fsync) */
  NativeOptions(boolean syncWrites) {
    LRUCache cache = own(new LRUCache(CACHE_MIB * MIB));
    WriteBufferManager memtables = own(new WriteBufferManager(MEMTABLE_MIB * MIB, cache));
    BloomFilter bloom = own(new BloomFilter(10));
    pointLookups = own(columnFamily(cache, bloom));
    scans = own(columnFamily(cache, null));
    db = own(new DBOptions()
        .setCreateIfMissing(true)
        .setWriteBufferManager(memtables)
        .setMaxTotalWalSize(MAX_WAL_MIB * MIB)
        .setMaxBackgroundJobs(2)
        .setMaxOpenFiles(256)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(3)
        .setMaxLogFileSize(MIB)
        .setStatsDumpPeriodSec(0)
        .setStatsPersistPeriodSec(0)
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery));
    write = own(new WriteOptions().setSync(syncWrites));
  }

  private static ColumnFamilyOptions columnFamily(LRUCache cache, BloomFilter bloom) {
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true);
    if (bloom != null) {
      table.setFilterPolicy(bloom);
    }
    return new ColumnFamilyOptions()
        .setWriteBufferSize(WRITE_BUFFER_MIB * MIB)
        .setMaxWriteBufferNumber(2)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setLevelCompactionDynamicLevelBytes(true)
        .setTableFormatConfig(table);
  }

  DBOptions db() {
    return db;
  }

  /** The options of a column family, by name (unknown ones, from a newer format, get scan options). */
  ColumnFamilyOptions columnFamily(String name) {
    return switch (name) {
      case StoreLayout.SEQUENCE, StoreLayout.BLOCK -> scans;
      case StoreLayout.DEFAULT, StoreLayout.LOCAL, StoreLayout.REMOTE, StoreLayout.POSITION, StoreLayout.META,
           StoreLayout.MARKS ->
          pointLookups;
      default -> scans;
    };
  }

  WriteOptions write() {
    return write;
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  /** Closes the option objects in reverse order of creation. */
  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close RocksDB option " + owned.get(i), e);
      }
    }
    owned.clear();
  }
}
