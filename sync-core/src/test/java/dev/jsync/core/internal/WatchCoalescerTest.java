package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WatchCoalescer} on its own: watcher events go in through {@code onEvent}, and what
 * comes out is scans of the reported paths (seen as {@link SyncEvent.ScanFinished} events and
 * index entries). Time is virtual: default options, a 100 ms quiet window capped at 1 s, and
 * the 10 ms settle time.
 */
class WatchCoalescerTest {

  private static final Duration MS = Duration.ofMillis(1);

  @TempDir Path root;
  private EngineRig rig;

  @BeforeEach
  void start() {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    assertThat(rig.events(SyncEvent.ScanFinished.class)).as("the start-up scan").hasSize(1);
    rig.events.clear();
  }

  @Test
  void aSaveIsABurstThatBecomesOneScanOnceItSettles() throws IOException {
    for (String name : List.of("a.txt", "b.txt", "c.txt")) {
      Files.writeString(root.resolve(name), name);
      rig.engine.watch.onEvent(root.resolve(name));
      rig.advance(MS);
    }
    assertThat(rig.engine.watch.waiting()).isTrue();
    rig.advance(Duration.ofMillis(7)); // 9 ms after the last event: not yet
    assertThat(pathScans()).isEmpty();
    assertThat(rig.store.local).isEmpty();

    rig.advance(Duration.ofMillis(2)); // 11 ms after it: settled
    assertThat(pathScans()).singleElement().satisfies(s -> assertThat(s.changes()).isEqualTo(3));
    assertThat(rig.store.local.keySet()).extracting(RelativePath::toString).containsExactly("a.txt", "b.txt", "c.txt");
    assertThat(rig.engine.watch.waiting()).isFalse();
    assertThat(rig.control.pendingTimers()).as("only the periodic scan's timer is left").isEqualTo(1);
  }

  @Test
  void aBurstLongerThanTheQuietWindowWaitsForTheWholeWindowOfSilence() throws IOException {
    Path file = root.resolve("big.bin");
    for (int i = 0; i < 30; i++) { // an event every 5 ms for 150 ms: longer than the 100 ms window
      Files.writeString(file, "part " + i);
      rig.engine.watch.onEvent(file);
      rig.advance(Duration.ofMillis(5));
    }
    assertThat(pathScans()).as("no scan while the burst went on").isEmpty();
    rig.advance(Duration.ofMillis(50)); // 55 ms of silence: the settle time alone no longer suffices
    assertThat(pathScans()).isEmpty();
    rig.advance(Duration.ofMillis(50)); // 105 ms of silence
    assertThat(pathScans()).hasSize(1);
    assertThat(rig.store.local(RelativePath.of("big.bin"))).isPresent();
  }

  @Test
  void aFileWrittenWithoutPauseIsStillScannedWithinTheCap() throws IOException {
    Path file = root.resolve("log.txt");
    long elapsedMs = 0;
    while (pathScans().isEmpty() && elapsedMs < 3_000) {
      Files.writeString(file, "line " + elapsedMs);
      rig.engine.watch.onEvent(file);
      rig.advance(Duration.ofMillis(5));
      elapsedMs += 5;
    }
    assertThat(pathScans()).as("scanned although the events never paused").hasSize(1);
    assertThat(elapsedMs).as("within the 1 s cap after the first event").isBetween(1_000L, 1_005L);
  }

  @Test
  void eventsOutsideTheFolderAreIgnored() {
    rig.engine.watch.onEvent(root.getParent().resolve("elsewhere.txt"));
    rig.engine.watch.onEvent(root); // the folder itself names no path in it
    assertThat(rig.engine.watch.waiting()).isFalse();
    rig.advance(Duration.ofSeconds(2));
    assertThat(pathScans()).isEmpty();
  }

  @Test
  void afterCloseEventsStartNothing() throws IOException {
    rig.engine.close();
    rig.runReady();
    Files.writeString(root.resolve("late.txt"), "late");
    rig.engine.watch.onEvent(root.resolve("late.txt"));
    assertThat(rig.engine.watch.waiting()).isFalse();
    rig.advance(Duration.ofSeconds(2));
    assertThat(pathScans()).isEmpty();
    assertThat(rig.store.local).isEmpty();
  }

  private List<SyncEvent.ScanFinished> pathScans() {
    return rig.events(SyncEvent.ScanFinished.class).stream().filter(s -> !s.full()).toList();
  }
}
