package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.file;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link IndexStoreContract}. Closing: idempotent, every later call fails clearly, and
 * concurrent readers fail cleanly. Run by each implementation through its {@code
 * IndexStoreContract}.
 */
abstract class LifecycleContract extends StoreContractArea {

  LifecycleContract(IndexStoreContract contract) {
    super(contract);
  }

  @Test
  public void closeIsIdempotent() {
    store.close();
    store.close();
  }

  @Test
  public void everyCallAfterCloseFailsClearly() {
    store.close();
    List<Consumer<IndexStore>> calls = List.of(
        s -> s.local(path("a")),
        s -> s.forEachLocal(e -> { }),
        s -> s.localSince(0, 1),
        IndexStore::lastSequence,
        s -> s.remote(ALICE, path("a")),
        s -> s.forEachRemote(ALICE, r -> { }),
        s -> s.position(ALICE),
        IndexStore::peers,
        s -> s.blockLocations(hash(1), 1),
        s -> s.metadata("k"),
        s -> s.apply(new StoreBatch().putMetadata("k", bytes("v"))));
    for (Consumer<IndexStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  public void closingWhileOthersReadMakesThemFailCleanly() throws Exception {
    StoreBatch batch = new StoreBatch();
    for (int i = 1; i <= 200; i++) {
      batch.putLocal(entry(file("f" + i, i, hash(i % 5))));
    }
    apply(batch);
    CountDownLatch started = new CountDownLatch(2);
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread reader = new Thread(() -> {
        started.countDown();
        try {
          while (true) {
            locals(store);
            store.localSince(0, 50);
            store.blockLocations(hash(1), 10);
          }
        } catch (IllegalStateException expected) {
          // The store was closed.
        } catch (Throwable t) {
          unexpected.add(t);
        }
      });
      reader.start();
      readers.add(reader);
    }
    started.await();
    Thread.sleep(50);
    store.close();
    for (Thread reader : readers) {
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(reader.isAlive()).isFalse();
    }
    assertThat(unexpected).isEmpty();
  }
}
