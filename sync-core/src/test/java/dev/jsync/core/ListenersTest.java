package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several listeners of one node: each gets every event, in order, on its own thread if given one. */
class ListenersTest {

  @Test
  void aListenerOnAManyThreadedExecutorStillGetsEveryEventInOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<SyncEvent> direct = new ArrayList<>();
      List<SyncEvent> pooled = new CopyOnWriteArrayList<>();
      Listeners.Builder b = new Listeners.Builder();
      b.add(direct::add);
      b.add(pooled::add, pool);
      Listeners all = b.build();
      for (int i = 0; i < 5_000; i++) {
        all.onEvent(new SyncEvent.ScanFinished(false, i, Duration.ZERO));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pooled.size() < 5_000 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(pooled).containsExactlyElementsOf(direct).hasSize(5_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aListenerThatThrowsNeitherStopsTheOthersNorItsOwnNextEvents() {
    List<SyncEvent> seen = new ArrayList<>();
    List<SyncEvent> thrower = new ArrayList<>();
    Listeners.Builder b = new Listeners.Builder();
    b.add(e -> {
      thrower.add(e);
      throw new IllegalStateException("listener bug");
    });
    b.add(seen::add);
    Listeners all = b.build();
    SyncEvent one = new SyncEvent.InSyncChanged(true);
    SyncEvent two = new SyncEvent.InSyncChanged(false);
    all.onEvent(one);
    all.onEvent(two);
    assertThat(seen).containsExactly(one, two);
    assertThat(thrower).containsExactly(one, two);
  }
}
