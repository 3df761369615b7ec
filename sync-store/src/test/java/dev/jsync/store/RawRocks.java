package dev.jsync.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A RocksDB database opened directly, with every column family it has, to inspect or damage a
 * store behind its back in tests. Not thread-safe.
 */
final class RawRocks implements AutoCloseable {

  final RocksDB db;
  final Map<String, ColumnFamilyHandle> families = new LinkedHashMap<>();
  private final DBOptions options;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  private RawRocks(Path indexDir, List<String> extraFamilies) throws RocksDBException {
    RocksDB.loadLibrary();
    List<String> names = new ArrayList<>();
    try (Options listing = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(listing, indexDir.toString())) {
        names.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    if (names.isEmpty()) {
      names.add("default");
    }
    for (String extra : extraFamilies) {
      if (!names.contains(extra)) {
        names.add(extra);
      }
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8)));
    }
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    db = RocksDB.open(options, indexDir.toString(), descriptors, handles);
    for (int i = 0; i < names.size(); i++) {
      families.put(names.get(i), handles.get(i));
    }
  }

  /** Opens the index of a state folder, adding {@code extraFamilies} if missing. */
  static RawRocks open(Path stateDir, String... extraFamilies) throws RocksDBException {
    return new RawRocks(stateDir.resolve("index"), List.of(extraFamilies));
  }

  ColumnFamilyHandle family(String name) {
    return families.get(name);
  }

  @Override
  public void close() {
    for (int i = handles.size() - 1; i >= 0; i--) {
      handles.get(i).close();
    }
    db.close();
    options.close();
  }
}
