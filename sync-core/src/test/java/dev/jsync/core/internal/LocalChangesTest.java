package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
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
 * {@link LocalChanges} on its own: scans of a real folder asked for through
 * {@code requestScan}/{@code requestFullScan}, and what they record in the index.
 */
class LocalChangesTest {

  @TempDir Path root;
  private EngineRig rig;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(root.resolve("a.txt"), "one");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
  }

  @Test
  void anEditMakesANewVersionWithTheNextSequence() throws IOException {
    FileRecord before = local("a.txt");
    Files.writeString(root.resolve("a.txt"), "one, edited");
    scan("a.txt");

    FileRecord after = local("a.txt");
    assertThat(after.sequence()).isGreaterThan(before.sequence()).isEqualTo(rig.store.lastSequence());
    assertThat(after.version().dominates(before.version())).isTrue();
    assertThat(after.contentHash()).isNotEqualTo(before.contentHash());
    assertThat(after.size()).isEqualTo("one, edited".length());
    assertThat(after.modifiedBy()).isEqualTo(EngineRig.SELF);
    assertThat(lastScan().changes()).isEqualTo(1);
  }

  @Test
  void aTouchWithoutNewContentAnnouncesNothing() throws IOException {
    FileRecord before = local("a.txt");
    Files.setLastModifiedTime(root.resolve("a.txt"),
        java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(root.resolve("a.txt")).toMillis() + 5_000));
    scan("a.txt");
    assertThat(local("a.txt")).isEqualTo(before);
    assertThat(lastScan().changes()).isZero();
  }

  @Test
  void aDeleteLeavesATombstoneThatSupersedesTheFile() throws IOException {
    FileRecord before = local("a.txt");
    Files.delete(root.resolve("a.txt"));
    scan("a.txt");

    FileRecord after = local("a.txt");
    assertThat(after.deleted()).isTrue();
    assertThat(after.version().dominates(before.version())).isTrue();
    assertThat(after.sequence()).isGreaterThan(before.sequence());
    assertThat(rig.engine.commits.liveFiles()).isZero();
  }

  @Test
  void theIgnoreFileTakesEffectForTheScansAfterIt() throws IOException {
    IgnoreRules before = rig.engine.changes.ignores();
    Files.writeString(root.resolve(IgnoreRules.FILE_NAME), "*.scratch\n");
    Files.writeString(root.resolve("build.scratch"), "scratch");
    scan(IgnoreRules.FILE_NAME);
    assertThat(rig.engine.changes.ignores()).as("a new snapshot once the file is recorded").isNotSameAs(before);
    assertThat(before.isIgnored(RelativePath.of("build.scratch"), false)).as("the old snapshot is unchanged").isFalse();
    assertThat(rig.engine.changes.ignores().isIgnored(RelativePath.of("build.scratch"), false)).isTrue();

    rig.engine.requestFullScan();
    rig.runReady();
    assertThat(rig.store.local(RelativePath.of("build.scratch"))).as("ignored").isEmpty();
    assertThat(rig.store.local(RelativePath.of(IgnoreRules.FILE_NAME))).isPresent();
  }

  @Test
  void anIgnoreFileThatIsALinkIsNotFollowed(@TempDir Path elsewhere) throws IOException {
    // A peer can send a link named .jsyncignore: reading through it would read a file outside
    // the folder (and let that file decide what this device syncs).
    Path outside = Files.writeString(elsewhere.resolve("rules"), "*.scratch\n");
    Files.createSymbolicLink(root.resolve(IgnoreRules.FILE_NAME), outside);
    Files.writeString(root.resolve("build.scratch"), "scratch");
    scan(IgnoreRules.FILE_NAME);

    assertThat(rig.engine.changes.ignores().isIgnored(RelativePath.of("build.scratch"), false)).isFalse();
    rig.engine.requestFullScan();
    rig.runReady();
    assertThat(rig.store.local(RelativePath.of("build.scratch"))).as("synced: the rules outside were not read").isPresent();
  }

  @Test
  void scansAskedForWhileOneRunsAreMergedIntoOneAfterIt() throws IOException {
    rig.io = task -> rig.control.schedule(task, Duration.ofMillis(1)); // a scan takes a moment
    Files.writeString(root.resolve("b.txt"), "b");
    Files.writeString(root.resolve("c.txt"), "c");
    rig.events.clear();
    rig.engine.requestScan(List.of(RelativePath.of("a.txt")));
    rig.runReady();
    rig.engine.requestScan(List.of(RelativePath.of("b.txt")));
    rig.engine.requestScan(List.of(RelativePath.of("c.txt")));
    rig.advance(Duration.ofMillis(10));

    assertThat(rig.events(SyncEvent.ScanFinished.class)).as("the running one, then one for both")
        .extracting(SyncEvent.ScanFinished::changes).containsExactly(0, 2);
    assertThat(rig.store.local(RelativePath.of("b.txt"))).isPresent();
    assertThat(rig.store.local(RelativePath.of("c.txt"))).isPresent();
  }

  /**
   * A first scan finds changes far faster than the control thread records them: the walk waits
   * while {@link LocalChanges#MAX_CHUNKS_WAITING} chunks wait to be recorded, instead of handing
   * the whole folder's changes over (a million files' would fill the heap), and every file is
   * recorded once the control thread catches up.
   */
  @Test
  void aScanWaitsWhileItsChangesWaitToBeRecorded() throws Exception {
    int files = (LocalChanges.MAX_CHUNKS_WAITING + 2) * Scanner.CHUNK;
    for (int i = 0; i < files; i++) {
      Files.writeString(root.resolve("n" + i + ".md"), "note " + i);
    }
    java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      rig.io = io;
      rig.engine.requestFullScan(); // posts the scan to the control thread, which has not run yet
      rig.runReady(); // starts the walk on the I/O thread
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (rig.engine.changes.chunksWaiting() < LocalChanges.MAX_CHUNKS_WAITING && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(300); // time for the walk to hand over more, if it did not wait
      assertThat(rig.engine.changes.chunksWaiting()).isEqualTo(LocalChanges.MAX_CHUNKS_WAITING);
      // One chunk recorded: the status says so while the walk goes on (a long first scan shows progress).
      long before = rig.engine.status().localSequence();
      assertThat(rig.control.runOne()).isTrue();
      assertThat(rig.engine.status().localSequence()).isGreaterThanOrEqualTo(before + Scanner.CHUNK);
      assertThat(rig.events(SyncEvent.ScanFinished.class)).hasSize(1); // the start-up scan's only
      while (rig.engine.commits.liveFiles() < files + 1 && System.nanoTime() < deadline) {
        rig.runReady();
        Thread.sleep(5);
      }
      assertThat(rig.engine.commits.liveFiles()).isEqualTo(files + 1);
      assertThat(rig.engine.changes.chunksWaiting()).isZero();
    } finally {
      io.shutdownNow();
    }
  }

  private void scan(String path) {
    rig.engine.requestScan(List.of(RelativePath.of(path)));
    rig.runReady();
  }

  private SyncEvent.ScanFinished lastScan() {
    List<SyncEvent.ScanFinished> scans = rig.events(SyncEvent.ScanFinished.class);
    return scans.get(scans.size() - 1);
  }

  private FileRecord local(String path) {
    return rig.store.local(RelativePath.of(path)).orElseThrow().record();
  }
}
