package dev.jsync.store;

import dev.jsync.core.store.IndexStore;
import dev.jsync.testkit.IndexStoreContract;
import java.nio.file.Path;

/** The RocksDB store passes the store contract; reopening closes it and opens the same folder. */
class RocksDbIndexStoreTest extends IndexStoreContract {

  @Override
  protected IndexStore openStore(Path dir) {
    return RocksDbIndexStore.open(dir.resolve(".jsync"));
  }
}
