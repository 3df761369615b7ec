package dev.jsync.store;

import dev.jsync.core.PrivateFiles;
import dev.jsync.core.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open RocksDB index with everything it needs, owned as one unit: the state-folder lock,
 * the native options, the database and its column-family handles. Opening takes the lock first,
 * then opens RocksDB, then checks the format version; closing releases all of it in reverse
 * order (handles, database, options, lock), as the RocksDB Java API requires.
 *
 * <p>Opening never changes a store it refuses: a store of a newer format is opened with the
 * column families it has (whatever they are), its version read, and closed again.
 *
 * <p>Not thread-safe: the store guards it. Does I/O.
 */
final class OpenDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenDatabase.class);

  /** The folder, inside the state folder, holding RocksDB's files. */
  static final String INDEX_DIR = "index";

  private final Path stateDir;
  private final StateLock lock;
  private final NativeOptions options;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilies families;
  private final long lastSequence;

  private OpenDatabase(Path stateDir, StateLock lock, NativeOptions options, RocksDB db,
      List<ColumnFamilyHandle> handles, ColumnFamilies families, long lastSequence) {
    this.stateDir = stateDir;
    this.lock = lock;
    this.options = options;
    this.db = db;
    this.handles = handles;
    this.families = families;
    this.lastSequence = lastSequence;
  }

  /**
   * Locks {@code stateDir}, opens (creating if needed) the index in it and checks its format.
   *
   * @throws StoreException if the folder is in use, the store is of a newer format or corrupt,
   *     or RocksDB fails; nothing is left open
   */
  static OpenDatabase open(Path stateDir, boolean syncWrites) {
    try {
      // Owner-only from the start: the index lists every file name in the folder.
      PrivateFiles.createFolders(stateDir);
    } catch (IOException e) {
      throw new StoreException("cannot create state folder " + stateDir, e);
    }
    StateLock lock = StateLock.acquire(stateDir);
    NativeOptions options = null;
    try {
      Path indexDir = stateDir.resolve(INDEX_DIR);
      PrivateFiles.createFolders(indexDir);
      NativeLibrary.load();
      options = new NativeOptions(syncWrites);
      return openLocked(stateDir, indexDir, lock, options);
    } catch (IOException | RuntimeException e) {
      if (options != null) {
        options.close();
      }
      lock.close();
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open the index in state folder " + stateDir + ": " + e.getMessage(), e);
    }
  }

  private static OpenDatabase openLocked(Path stateDir, Path indexDir, StateLock lock, NativeOptions options) {
    List<String> names = existingFamilies(indexDir);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options.columnFamily(name)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(options.db(), indexDir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      throw openFailure(stateDir, indexDir, e);
    }
    try {
      Map<String, ColumnFamilyHandle> byName = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        byName.put(names.get(i), handles.get(i));
      }
      checkFormat(stateDir, db, byName, handles, options);
      ColumnFamilies families = new ColumnFamilies(byName.get(StoreLayout.DEFAULT), byName.get(StoreLayout.LOCAL),
          byName.get(StoreLayout.SEQUENCE), byName.get(StoreLayout.REMOTE), byName.get(StoreLayout.POSITION),
          byName.get(StoreLayout.BLOCK), byName.get(StoreLayout.META), byName.get(StoreLayout.MARKS));
      byte[] last = db.get(families.store(), StoreLayout.LAST_SEQUENCE_KEY);
      long lastSequence = last == null ? 0 : new ByteReader(last).readLong();
      return new OpenDatabase(stateDir, lock, options, db, handles, families, lastSequence);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(handles, db);
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open the index in state folder " + stateDir + ": " + e.getMessage(), e);
    }
  }

  private static List<String> existingFamilies(Path indexDir) {
    if (!Files.exists(indexDir.resolve("CURRENT"))) {
      return List.of(StoreLayout.DEFAULT);
    }
    try (Options listing = new Options()) {
      List<String> names = new ArrayList<>();
      for (byte[] name : RocksDB.listColumnFamilies(listing, indexDir.toString())) {
        names.add(new String(name, StandardCharsets.UTF_8));
      }
      return names;
    } catch (RocksDBException e) {
      throw new StoreException("cannot list the column families of the index in " + indexDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the format version; a store without one is new (or was killed while being created,
   * before anything else was written) and is initialised now.
   */
  private static void checkFormat(Path stateDir, RocksDB db, Map<String, ColumnFamilyHandle> byName,
      List<ColumnFamilyHandle> handles, NativeOptions options) throws RocksDBException {
    ColumnFamilyHandle store = byName.get(StoreLayout.DEFAULT);
    byte[] version = db.get(store, StoreLayout.FORMAT_VERSION_KEY);
    if (version == null) {
      for (ColumnFamilyHandle handle : byName.values()) {
        if (!isEmpty(db, handle)) {
          throw new StoreException("state folder " + stateDir + " holds a database that is not a jSync index "
              + "(no format version, column family '" + new String(handle.getName(), StandardCharsets.UTF_8)
              + "' not empty)");
        }
      }
      for (String name : StoreLayout.COLUMN_FAMILIES) {
        if (!byName.containsKey(name)) {
          ColumnFamilyHandle created = db.createColumnFamily(
              new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options.columnFamily(name)));
          handles.add(created);
          byName.put(name, created);
        }
      }
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(store, sync, StoreLayout.FORMAT_VERSION_KEY,
            new ByteWriter(4).writeInt(StoreLayout.FORMAT_VERSION).toByteArray());
      }
      log.debug("created a new index (format {}) in {}", StoreLayout.FORMAT_VERSION, stateDir);
      return;
    }
    int found = version.length == 4 ? new ByteReader(version).readInt() : -1;
    if (found > StoreLayout.FORMAT_VERSION) {
      throw new StoreException("the index in state folder " + stateDir + " was written by a newer jSync (format "
          + found + "; this version reads format " + StoreLayout.FORMAT_VERSION + " and older): upgrade jSync, "
          + "or move the state folder away to rebuild the index from the folder and from peers");
    }
    if (found < 1) {
      throw new StoreException("the index in state folder " + stateDir + " is corrupt: bad format version "
          + HexFormat.of().formatHex(version));
    }
    if (found == 1) {
      upgradeFromFormat1(stateDir, db, byName, handles, options);
    } else if (found == 2) {
      setFormat(db, byName);
      log.debug("upgraded the index in {} from format 2 to format {}", stateDir, StoreLayout.FORMAT_VERSION);
    }
    for (String name : StoreLayout.COLUMN_FAMILIES) {
      if (!byName.containsKey(name)) {
        throw new StoreException("the index in state folder " + stateDir + " is corrupt: column family '" + name
            + "' is missing");
      }
    }
    for (String name : byName.keySet()) {
      if (!StoreLayout.COLUMN_FAMILIES.contains(name)) {
        log.warn("ignoring unknown column family '{}' in the index in {}", name, stateDir);
      }
    }
  }

  /**
   * Format 2 only adds the {@code marks} column family; no key or value of format 1 changed. The
   * family is created (unless a crash after creating it stopped an earlier upgrade) and only then
   * is the version set, in one synced write: a store seen as format 2 or later always has it.
   * Format 3 only lets records carry what a merge merged, which no record of format 1 or 2 does,
   * so the version goes straight to the current one.
   */
  private static void upgradeFromFormat1(Path stateDir, RocksDB db, Map<String, ColumnFamilyHandle> byName,
      List<ColumnFamilyHandle> handles, NativeOptions options) throws RocksDBException {
    for (String name : StoreLayout.FORMAT_1_COLUMN_FAMILIES) {
      if (!byName.containsKey(name)) {
        throw new StoreException("the index in state folder " + stateDir + " is corrupt: column family '" + name
            + "' is missing");
      }
    }
    if (!byName.containsKey(StoreLayout.MARKS)) {
      ColumnFamilyHandle created = db.createColumnFamily(new ColumnFamilyDescriptor(
          StoreLayout.MARKS.getBytes(StandardCharsets.UTF_8), options.columnFamily(StoreLayout.MARKS)));
      handles.add(created);
      byName.put(StoreLayout.MARKS, created);
    }
    setFormat(db, byName);
    log.debug("upgraded the index in {} from format 1 to format {}", stateDir, StoreLayout.FORMAT_VERSION);
  }

  /** Sets the format version to the current one, in one synced write. */
  private static void setFormat(RocksDB db, Map<String, ColumnFamilyHandle> byName) throws RocksDBException {
    try (WriteOptions sync = new WriteOptions().setSync(true)) {
      db.put(byName.get(StoreLayout.DEFAULT), sync, StoreLayout.FORMAT_VERSION_KEY,
          new ByteWriter(4).writeInt(StoreLayout.FORMAT_VERSION).toByteArray());
    }
  }

  private static boolean isEmpty(RocksDB db, ColumnFamilyHandle handle) {
    try (RocksIterator it = db.newIterator(handle)) {
      it.seekToFirst();
      return !it.isValid();
    }
  }

  /** Says plainly that the folder is in use when RocksDB's own LOCK file is held. */
  private static StoreException openFailure(Path stateDir, Path indexDir, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("LOCK") || message.toLowerCase(Locale.ROOT).contains("lock hold")) {
      return new StoreException("state folder " + stateDir + " is already in use: RocksDB's lock "
          + indexDir.resolve("LOCK") + " is held (" + message + ")", e);
    }
    return new StoreException("cannot open the index in " + indexDir + ": " + message, e);
  }

  RocksDB db() {
    return db;
  }

  /** Every column family the database was opened with, unknown ones of a newer format included. */
  List<ColumnFamilyHandle> handles() {
    return handles;
  }

  ColumnFamilies families() {
    return families;
  }

  NativeOptions options() {
    return options;
  }

  /** The last sequence number as stored when the database was opened. */
  long lastSequenceAtOpen() {
    return lastSequence;
  }

  Path stateDir() {
    return stateDir;
  }

  /**
   * Closes handles, database, options and lock, in that order.
   *
   * @throws StoreException if RocksDB reports an error closing; everything is released anyway
   */
  @Override
  public void close() {
    RocksDBException failure = null;
    try {
      failure = closeAll(handles, db);
    } finally {
      options.close();
      lock.close();
    }
    if (failure != null) {
      throw new StoreException("error closing the index in state folder " + stateDir + ": " + failure.getMessage(),
          failure);
    }
  }

  private static RocksDBException closeAll(List<ColumnFamilyHandle> handles, RocksDB db) {
    for (int i = handles.size() - 1; i >= 0; i--) {
      handles.get(i).close();
    }
    try {
      db.closeE();
      return null;
    } catch (RocksDBException e) {
      return e;
    }
  }
}
