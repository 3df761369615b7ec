package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.testkit.DiskFaults;
import dev.jsync.testkit.FaultyDisk;
import dev.jsync.testkit.FolderTree;
import dev.jsync.testkit.InMemoryFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine under each fault a {@link FaultyDisk} injects on the receiving device: the pull
 * fails with an error that names the fault, nothing partial appears at the file's name and
 * nothing is recorded, and once the disk behaves again the retry brings the file whole and
 * leaves no temp file. (What a crash loses is played in {@code SimulatedClusterTest}.)
 */
class DiskFaultsTest {

  private static final SyncOptions FAST_RETRY = SyncOptions.defaults().withRetryDelay(Duration.ofSeconds(2));

  private final SimNodes nodes = new SimNodes();
  private final InMemoryFolder folderA = InMemoryFolder.create(Clock.systemUTC());
  private final InMemoryFolder folderB = InMemoryFolder.create(Clock.systemUTC());
  private final FaultyDisk diskB = new FaultyDisk(Disks.system(), DiskFaults.none(), new SplittableRandom(3));

  @AfterEach
  void close() throws Exception {
    nodes.close();
    folderA.close();
    folderB.close();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "full disk, No space left on device",
      "I/O error, Input/output error",
      "access denied, AccessDeniedException"})
  void aFaultFailsThePullWithItsReasonAndTheRetryBringsTheFileWhole(String fault, String reason) throws Exception {
    SimNodes.Node a = nodes.add("a", folderA.root(), FAST_RETRY, null);
    SimNodes.Node b = nodes.add("b", folderB.root(), FAST_RETRY, null, diskB);
    nodes.run(Duration.ofSeconds(2));
    diskB.faults(switch (fault) {
      case "full disk" -> DiskFaults.none().withFullDisk(1);
      case "I/O error" -> DiskFaults.none().withIoError(1);
      default -> DiskFaults.none().withAccessDenied(1);
    });
    byte[] big = random(300_000, 1);
    Files.write(a.folder().resolve("big.bin"), big);
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(5));

    assertThat(diskB.faultsInjected()).isPositive();
    assertThat(b.folder().resolve("big.bin")).doesNotExist();
    assertThat(b.record("big.bin")).isEmpty();
    assertThat(b.errorsAbout("big.bin")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.message() + " " + e.cause().map(String::valueOf).orElse(""))
            .containsIgnoringCase(reason));

    diskB.faults(DiskFaults.none());
    nodes.run(Duration.ofSeconds(20));
    assertThat(Files.readAllBytes(b.folder().resolve("big.bin"))).isEqualTo(big);
    assertThat(b.record("big.bin").orElseThrow().contentHash())
        .isEqualTo(a.record("big.bin").orElseThrow().contentHash());
    assertThat(FolderTree.tempFiles(b.folder())).isEmpty();
  }

  @Test
  void filesArriveWholeAndWithoutErrorsThroughASlowFsync() throws Exception {
    SimNodes.Node a = nodes.add("a", folderA.root(), FAST_RETRY, null);
    SimNodes.Node b = nodes.add("b", folderB.root(), FAST_RETRY, null, diskB);
    diskB.faults(DiskFaults.none().withSlowSync(Duration.ofMillis(30)));
    byte[] big = random(300_000, 2);
    Files.write(a.folder().resolve("big.bin"), big);
    Files.writeString(a.folder().resolve("note.md"), "small");
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(5));
    assertThat(Files.readAllBytes(b.folder().resolve("big.bin"))).isEqualTo(big);
    assertThat(Files.readString(b.folder().resolve("note.md"))).isEqualTo("small");
    assertThat(b.events()).noneMatch(e -> e instanceof dev.jsync.core.SyncEvent.Error);
  }

  /**
   * The receiver's folder syncs always fail, so every commit of the pulled file fails: the file
   * is in place, its record is not. The engine retries with a back-off that doubles (a full scan
   * after 1, 2, 4, ... s, up to the scan interval), not a scan and a re-pull right after each
   * failure. Once the disk recovers, the file is recorded as the version the sender wrote, not as
   * an edit of the receiver's own (which could later beat versions written after it elsewhere).
   */
  @Test
  void aFolderSyncThatAlwaysFailsBacksOffAndThenRecordsThePeersVersion() throws Exception {
    SimNodes.Node a = nodes.add("a", folderA.root(), FAST_RETRY, null);
    SimNodes.Node b = nodes.add("b", folderB.root(), FAST_RETRY, null, diskB);
    nodes.run(Duration.ofSeconds(2));
    diskB.faults(DiskFaults.none().withFolderSyncError(1));
    Files.writeString(a.folder().resolve("plan.md"), "the plan");
    a.node().scanNow();
    long scansBefore = fullScans(b);
    nodes.run(Duration.ofMinutes(5));

    assertThat(Files.readString(b.folder().resolve("plan.md"))).isEqualTo("the plan");
    assertThat(b.record("plan.md")).as("not recorded while its folder sync fails").isEmpty();
    // Back-offs of 1 + 2 + 4 + ... + 128 s: at most eight retries, each a full scan, fit in five
    // minutes (the scan interval, which caps the back-off, is an hour here).
    assertThat(fullScans(b) - scansBefore).isBetween(3L, 9L);

    diskB.faults(DiskFaults.none());
    nodes.run(Duration.ofMinutes(10));
    FileRecord theirs = a.record("plan.md").orElseThrow();
    FileRecord mine = b.record("plan.md").orElseThrow();
    assertThat(mine.version()).as("the sender's version, not a new one of the receiver's").isEqualTo(theirs.version());
    assertThat(mine.modifiedBy()).isEqualTo(theirs.modifiedBy());
  }

  private static long fullScans(SimNodes.Node n) {
    return n.events().stream().filter(e -> e instanceof SyncEvent.ScanFinished s && s.full()).count();
  }

  @Test
  void aDiskThatFailsNowAndThenStillEndsWithEveryFile() throws Exception {
    SimNodes.Node a = nodes.add("a", folderA.root(), FAST_RETRY, null);
    SimNodes.Node b = nodes.add("b", folderB.root(), FAST_RETRY, null, diskB);
    nodes.run(Duration.ofSeconds(2));
    diskB.faults(new DiskFaults(0.05, 0.05, 0.05, 0.05, Duration.ZERO));
    for (int i = 0; i < 20; i++) {
      Files.write(a.folder().resolve("f" + i + ".bin"), random(1000 + 20_000 * i, 10 + i));
    }
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(10));
    assertThat(diskB.faultsInjected()).isPositive();
    diskB.faults(DiskFaults.none());
    nodes.run(Duration.ofSeconds(30));
    b.node().scanNow();
    nodes.run(Duration.ofSeconds(5));
    assertThat(FolderTree.of(b.folder())).isEqualTo(FolderTree.of(a.folder()));
    assertThat(FolderTree.tempFiles(b.folder())).isEmpty();
  }
}
