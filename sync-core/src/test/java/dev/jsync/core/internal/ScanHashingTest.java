package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hashing of a scan's files on helpers: whatever thread hashes what, the steps run on the
 * scanning thread in the order they were handed over, each job exactly once, and the scanning
 * thread never waits for a helper that has not started.
 */
class ScanHashingTest {

  private final BlockHasher own = new BlockHasher();
  private final List<Integer> ran = new ArrayList<>(); // steps, on the scanning thread
  private final Set<Integer> hashedByHelper = ConcurrentHashMap.newKeySet();
  private final List<Integer> jobRuns = Collections.synchronizedList(new ArrayList<>());
  private ExecutorService pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A job for item {@code i}: notes who ran it, takes a moment that varies, and adds {@code i}. */
  private ScanHashing.Job job(int i) {
    return hasher -> {
      jobRuns.add(i);
      if (hasher != own) {
        hashedByHelper.add(i);
      } else if (pool != null && i >= ScanHashing.IN_LINE_FILES) {
        // A queued job the scanning thread took: go on once a helper has hashed one, so that
        // the test sees helpers take part however slowly the machine starts their threads.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hashedByHelper.isEmpty() && System.nanoTime() < deadline) {
          LockSupport.parkNanos(100_000);
        }
      }
      LockSupport.parkNanos((i * 7919L % 13) * 10_000L); // 0-120 µs: jobs finish out of order
      return () -> ran.add(i);
    };
  }

  @Test
  void stepsRunInTheOrderHandedOverWhicheverThreadHashed() {
    pool = Executors.newFixedThreadPool(3);
    ScanHashing hashing = new ScanHashing(own, pool, 3);
    int n = 3 * ScanHashing.WINDOW;
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % 5 == 0) {
        int step = -i; // a look that needed no hashing (a folder, a deletion)
        hashing.then(() -> ran.add(step));
        expected.add(step);
      }
      hashing.hash(job(i));
      expected.add(i);
    }
    hashing.finish();

    assertThat(ran).containsExactlyElementsOf(expected);
    assertThat(jobRuns).hasSize(n).doesNotHaveDuplicates();
    assertThat(hashedByHelper).as("helpers took part").isNotEmpty()
        .allMatch(i -> i >= ScanHashing.IN_LINE_FILES);
  }

  @Test
  void aSmallScanHashesInLineAndAsksForNoHelper() {
    List<Runnable> asked = new ArrayList<>();
    ScanHashing hashing = new ScanHashing(own, asked::add, 3);
    for (int i = 0; i < ScanHashing.IN_LINE_FILES; i++) {
      int at = i;
      hashing.hash(job(i));
      assertThat(ran).as("run at once").hasSize(at + 1);
    }
    hashing.finish();
    assertThat(asked).isEmpty();
    assertThat(hashedByHelper).isEmpty();
  }

  /** The simulator's executor, or a pool busy with transfers: the helper runs only after the scan. */
  @Test
  void aHelperThatNeverStartsLeavesEverythingToTheScanningThread() {
    List<Runnable> asked = new ArrayList<>();
    ScanHashing hashing = new ScanHashing(own, asked::add, 1);
    int n = 2 * ScanHashing.WINDOW + 10;
    for (int i = 0; i < n; i++) {
      hashing.hash(job(i));
    }
    hashing.finish();

    assertThat(ran).hasSize(n).isSorted();
    assertThat(asked).as("one helper asked for, still pending").hasSize(1);
    asked.get(0).run(); // it starts at last: nothing is left to it
    assertThat(jobRuns).hasSize(n);
    assertThat(hashedByHelper).isEmpty();
  }

  @Test
  void aFailureOnAHelperIsThrownOnTheScanningThreadInItsTurn() {
    List<Runnable> asked = new ArrayList<>();
    ScanHashing hashing = new ScanHashing(own, asked::add, 1);
    int failing = ScanHashing.IN_LINE_FILES + 5;
    for (int i = 0; i < failing + 5; i++) {
      int at = i;
      hashing.hash(i != failing ? job(i) : hasher -> {
        throw new IllegalStateException("store closed at " + at);
      });
    }
    asked.get(0).run(); // the helper hashes everything queued, the failing job included

    assertThatThrownBy(hashing::finish).isInstanceOf(IllegalStateException.class)
        .hasMessage("store closed at " + failing);
    assertThat(ran).as("the steps before it ran, none after").hasSize(failing).isSorted();
  }
}
