package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;

/**
 * The contract of {@link IndexStore}: every implementation extends this class, provides
 * {@link #openStore(Path)}, and must pass every test. The tests pin the semantics the engine
 * relies on; the Javadoc of {@code IndexStore} and {@code StoreBatch} states them in words.
 *
 * <pre>{@code
 * class RocksDbIndexStoreTest extends IndexStoreContract {
 *   protected IndexStore openStore(Path dir) {
 *     return RocksDbIndexStore.open(dir.resolve(".jsync"));
 *   }
 * }
 * }</pre>
 *
 * <p>The tests live in one class per area, each run here as a JUnit {@link Nested} class over
 * the implementation's {@link #openStore}: local entries ({@code LocalEntriesContract});
 * sequence numbers and {@code localSince} ({@code SequencesContract}); remote records,
 * positions and peers ({@code RemoteRecordsContract}); the block index and metadata
 * ({@code BlockIndexContract}); batches: order, atomicity, validation ({@code BatchesContract});
 * round-trips of unusual records and persistence across a reopen ({@code PersistenceContract});
 * close and concurrency ({@code LifecycleContract}).
 * A jqwik property, here, runs random batch scripts against a plain reference model.
 *
 * <p>JUnit creates a fresh instance, temp folder and store for every test. The property manages
 * its own temp folders, since JUnit's {@code @TempDir} does not reach jqwik (nor do JUnit's
 * nested classes: the property stays at the top). Test methods are public because JUnit does
 * not run package-private methods inherited from another package.
 */
public abstract class IndexStoreContract {

  /** Opens (creating if needed) a store keeping its state in {@code dir}. */
  protected abstract IndexStore openStore(Path dir);

  /**
   * Whether the store keeps its contents across {@link #reopen}; the persistence tests are
   * skipped when not.
   */
  protected boolean persistent() {
    return true;
  }

  /**
   * Simulates a process restart: closes {@code store} and returns a store over the same state.
   * By default {@code store.close()} then {@link #openStore(Path) openStore(dir)}.
   */
  protected IndexStore reopen(IndexStore store, Path dir) {
    store.close();
    return openStore(dir);
  }

  /** See {@link LocalEntriesContract}. */
  @Nested
  class LocalEntries extends LocalEntriesContract {
    LocalEntries() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link SequencesContract}. */
  @Nested
  class Sequences extends SequencesContract {
    Sequences() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link RemoteRecordsContract}. */
  @Nested
  class RemoteRecords extends RemoteRecordsContract {
    RemoteRecords() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link BlockIndexContract}. */
  @Nested
  class BlockIndex extends BlockIndexContract {
    BlockIndex() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link BatchesContract}. */
  @Nested
  class Batches extends BatchesContract {
    Batches() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link PersistenceContract}. */
  @Nested
  class Persistence extends PersistenceContract {
    Persistence() {
      super(IndexStoreContract.this);
    }
  }

  /** See {@link LifecycleContract}. */
  @Nested
  class Lifecycle extends LifecycleContract {
    Lifecycle() {
      super(IndexStoreContract.this);
    }
  }

  /**
   * Random scripts of batches (and restarts) give the same answers from the store as from a
   * plain reference model, after every step; a batch the model rejects, the store rejects too,
   * with an {@link IllegalArgumentException}, and changes nothing.
   */
  @Property(tries = 60)
  public void behavesLikeTheReferenceModel(@ForAll("storeScripts") List<StoreScripts.Step> script) throws IOException {
    Path root = Files.createTempDirectory("jsync-store-contract");
    IndexStore s = openStore(root);
    try {
      ReferenceIndex model = new ReferenceIndex();
      for (StoreScripts.Step step : script) {
        StoreBatch batch = StoreScripts.batch(step.ops(), model);
        boolean accepted = model.apply(batch);
        if (accepted) {
          s.apply(batch);
        } else {
          IndexStore target = s;
          assertThatThrownBy(() -> target.apply(batch)).isInstanceOf(IllegalArgumentException.class);
        }
        if (step.reopen() && persistent()) {
          s = reopen(s, root);
        }
        ModelCheck.assertMatches(s, model);
      }
    } finally {
      s.close();
      StoreContractArea.deleteRecursively(root);
    }
  }

  @Provide
  public Arbitrary<List<StoreScripts.Step>> storeScripts() {
    return StoreScripts.scripts();
  }
}
