package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The in-memory store passes the contract, with {@link InMemoryIndexStore#reopen()} as restart. */
class InMemoryIndexStoreTest extends IndexStoreContract {

  @Override
  protected IndexStore openStore(Path dir) {
    return new InMemoryIndexStore();
  }

  @Override
  protected IndexStore reopen(IndexStore store, Path dir) {
    return ((InMemoryIndexStore) store).reopen();
  }

  @Test
  void reopenClosesTheOldStoreAndCanHappenOnceFromIt() {
    InMemoryIndexStore first = new InMemoryIndexStore();
    FileRecord record = SampleRecords.directory("a", 1);
    first.apply(new StoreBatch().putLocal(LocalEntry.withoutStat(record)));

    InMemoryIndexStore second = first.reopen();

    assertThat(second.local(RelativePath.of("a"))).contains(LocalEntry.withoutStat(record));
    assertThatThrownBy(() -> first.local(RelativePath.of("a"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(first::reopen).isInstanceOf(IllegalStateException.class);
    second.close();
    assertThat(second.reopen().lastSequence()).as("a cleanly closed store reopens too").isEqualTo(1);
  }
}
