package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Proves the RocksDB native library loads on this platform and a batch is applied whole. */
class RocksDbWiringTest {

  @Test
  void nativeLibraryLoadsAndBatchesApply(@TempDir Path dir) throws Exception {
    RocksDB.loadLibrary();
    try (Options options = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(options, dir.toString());
         WriteBatch batch = new WriteBatch();
         WriteOptions write = new WriteOptions().setSync(true)) {
      batch.put("a".getBytes(UTF_8), "1".getBytes(UTF_8));
      batch.put("b".getBytes(UTF_8), "2".getBytes(UTF_8));
      db.write(write, batch);
      assertThat(db.get("a".getBytes(UTF_8))).isEqualTo("1".getBytes(UTF_8));
      assertThat(db.get("b".getBytes(UTF_8))).isEqualTo("2".getBytes(UTF_8));
    }
  }
}
