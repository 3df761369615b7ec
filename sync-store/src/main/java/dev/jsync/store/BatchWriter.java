package dev.jsync.store;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Turns one {@link StoreBatch} into one RocksDB {@link WriteBatch}, written with a single
 * {@code db.write}: RocksDB applies a write batch atomically, in the WAL and in the memtables,
 * so a crash leaves all of it or none of it.
 *
 * <p>Later operations of a batch must see the effect of earlier ones (a path put twice must
 * unindex the first version's blocks), but nothing is in the database until the write. So the
 * writer keeps the local entries it has changed so far in {@link #pending} and reads through it.
 * Deletions and puts are recorded in operation order, and RocksDB applies them in that order,
 * so a later put of a key wins over an earlier delete of it (e.g. a block shared by the old and
 * the new version of a file).
 *
 * <p>One instance per batch; not thread-safe. The caller serialises writers, so the database
 * does not change between the reads made here and the write. Does I/O (reads of current entries).
 */
final class BatchWriter {

  private final RocksDB db;
  private final ColumnFamilies cf;
  private final WriteBatch wb;
  private final Map<RelativePath, Optional<LocalEntry>> pending = new HashMap<>();
  private final long lastBefore;
  private long last;

  private BatchWriter(RocksDB db, ColumnFamilies cf, WriteBatch wb, long lastSequence) {
    this.db = db;
    this.cf = cf;
    this.wb = wb;
    this.lastBefore = lastSequence;
    this.last = lastSequence;
  }

  /**
   * Validates and writes {@code batch}.
   *
   * @return the last sequence number after the batch
   * @throws IllegalArgumentException if the batch breaks the sequence rule; nothing is written
   */
  static long write(RocksDB db, ColumnFamilies cf, WriteOptions options, StoreBatch batch, long lastSequence)
      throws RocksDBException {
    try (WriteBatch wb = new WriteBatch()) {
      BatchWriter writer = new BatchWriter(db, cf, wb, lastSequence);
      for (StoreBatch.Op op : batch.ops()) {
        writer.add(op);
      }
      if (writer.last != writer.lastBefore) {
        wb.put(cf.store(), StoreLayout.LAST_SEQUENCE_KEY, new ByteWriter(8).writeLong(writer.last).toByteArray());
      }
      if (wb.count() > 0) {
        db.write(options, wb);
      }
      return writer.last;
    }
  }

  private void add(StoreBatch.Op op) throws RocksDBException {
    if (op instanceof StoreBatch.PutLocal put) {
      putLocal(put.entry());
    } else if (op instanceof StoreBatch.RemoveLocal remove) {
      removeLocal(remove.path());
    } else if (op instanceof StoreBatch.PutRemote put) {
      wb.put(cf.remote(), Keys.remote(put.peer(), put.record().path()), RecordCodec.encodeRecord(put.record()));
    } else if (op instanceof StoreBatch.ClearRemote clear) {
      byte[] prefix = Keys.peer(clear.peer());
      wb.deleteRange(cf.remote(), prefix, Keys.pathPrefixEnd(prefix));
      wb.delete(cf.position(), prefix);
    } else if (op instanceof StoreBatch.SetPosition set) {
      wb.put(cf.position(), Keys.peer(set.peer()), RecordCodec.encodePosition(set.position()));
    } else if (op instanceof StoreBatch.PutMetadata put) {
      if (put.value() == null) {
        wb.delete(cf.meta(), Keys.metadata(put.key()));
      } else {
        wb.put(cf.meta(), Keys.metadata(put.key()), put.value().clone());
      }
    } else if (op instanceof StoreBatch.PutExpired put) {
      wb.put(cf.marks(), Keys.mark(Keys.EXPIRED, put.path()), RecordCodec.encodeVersion(put.version()));
    } else if (op instanceof StoreBatch.PutDownloadFolder put) {
      byte[] key = Keys.mark(Keys.DOWNLOAD_FOLDER, put.path());
      if (put.made()) {
        wb.put(cf.marks(), key, new byte[0]);
      } else {
        wb.delete(cf.marks(), key);
      }
    } else {
      throw new IllegalArgumentException("unknown store operation " + op);
    }
  }

  private void putLocal(LocalEntry entry) throws RocksDBException {
    FileRecord record = entry.record();
    Optional<LocalEntry> current = current(record.path());
    if (record.sequence() > last) {
      last = record.sequence();
    } else if (!current.map(LocalEntry::record).equals(Optional.of(record))) {
      throw new IllegalArgumentException(sequenceRuleBroken(record, current.map(LocalEntry::record), last));
    }
    byte[] key = Keys.path(record.path());
    if (current.isPresent()) {
      unindex(current.get().record());
    }
    wb.put(cf.local(), key, RecordCodec.encodeLocal(entry));
    wb.put(cf.sequence(), Keys.sequence(record.sequence()), key);
    for (Map.Entry<Sha256, BlockInfo> first : firstBlockPerHash(record.blocks()).entrySet()) {
      wb.put(cf.block(), Keys.block(first.getKey(), record.path()), RecordCodec.encodeBlock(first.getValue()));
    }
    pending.put(record.path(), Optional.of(entry));
  }

  private void removeLocal(RelativePath path) throws RocksDBException {
    Optional<LocalEntry> current = current(path);
    if (current.isPresent()) {
      byte[] key = Keys.path(path);
      unindex(current.get().record());
      wb.delete(cf.local(), key);
    }
    pending.put(path, Optional.empty());
  }

  /** Deletes the sequence-index and block-index entries of {@code old}. */
  private void unindex(FileRecord old) throws RocksDBException {
    wb.delete(cf.sequence(), Keys.sequence(old.sequence()));
    for (Sha256 hash : firstBlockPerHash(old.blocks()).keySet()) {
      wb.delete(cf.block(), Keys.block(hash, old.path()));
    }
  }

  private Optional<LocalEntry> current(RelativePath path) throws RocksDBException {
    Optional<LocalEntry> changed = pending.get(path);
    if (changed != null) {
      return changed;
    }
    byte[] value = db.get(cf.local(), Keys.path(path));
    return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeLocal(path, value));
  }

  /** The block index lists each file once per hash, at the hash's first block in the file. */
  private static Map<Sha256, BlockInfo> firstBlockPerHash(List<BlockInfo> blocks) {
    Map<Sha256, BlockInfo> first = new LinkedHashMap<>();
    for (BlockInfo b : blocks) {
      first.putIfAbsent(b.hash(), b);
    }
    return first;
  }

  private static String sequenceRuleBroken(FileRecord record, Optional<FileRecord> current, long last) {
    return "PutLocal of '" + record.path() + "' with sequence " + record.sequence()
        + ": a new record needs a sequence above the last one (" + last + "), and only the record "
        + "already stored at that path may be re-put under its own sequence ("
        + current.map(r -> "stored now: sequence " + r.sequence()).orElse("nothing stored there") + ")";
  }
}
