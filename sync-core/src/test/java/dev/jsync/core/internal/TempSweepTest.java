package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Hello;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temp files a full scan passes (the start-up scan among them): only the one of exactly the
 * version a needed path would be pulled as now is kept, and only while it is under a day old;
 * a kept one goes as soon as the path needs nothing any more.
 */
class TempSweepTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;

  @Test
  void onlyTheTempFileOfTheVersionStillNeededSurvivesAFullScanAndNotForADay() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    rig.engine.peers.addKnown(PEER);
    FileRecord v2 = remoteFile("notes/big.bin", "version two", 2);
    offer(v2);
    Files.createDirectories(root.resolve("notes"));
    Path current = root.resolve("notes").resolve(FileAssembly.tempName(v2));
    Path superseded = root.resolve("notes").resolve(FileAssembly.tempName("big.bin", Sha256.of(new byte[] {1})));
    Path orphan = root.resolve(FileAssembly.tempName("gone.md", Sha256.of(new byte[] {2})));
    for (Path p : List.of(current, superseded, orphan)) {
      Files.writeString(p, "partial");
    }
    Files.setLastModifiedTime(current, FileTime.from(rig.engine.nowNanos(), TimeUnit.NANOSECONDS));

    fullScan();
    assertThat(current).as("resumable: its version is still the one needed").exists();
    assertThat(superseded).as("a version no longer needed").doesNotExist();
    assertThat(orphan).as("a path that needs nothing").doesNotExist();

    rig.advance(TempSweep.MAX_AGE.plus(Duration.ofMinutes(1)));
    fullScan();
    assertThat(current).as("not written for over a day").doesNotExist();
  }

  @Test
  void aKeptTempFileGoesAsSoonAsItsPathNeedsNothingWithoutWaitingForAScan() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    rig.engine.peers.addKnown(PEER);
    FileRecord v2 = remoteFile("big.bin", "version two", 2);
    offer(v2);
    Path current = root.resolve(FileAssembly.tempName(v2));
    Files.writeString(current, "partial");
    Files.setLastModifiedTime(current, FileTime.from(rig.engine.nowNanos(), TimeUnit.NANOSECONDS));
    fullScan();
    assertThat(current).exists();

    // The peer withdraws the file (its index reset): the need goes at the next pump, the temp with it.
    rig.control.execute(() -> rig.engine.commits.write(new StoreBatch().clearRemote(PEER)));
    rig.runReady();
    rig.engine.peers.connect(new PeerSession(new RecordingLink(PEER), new Hello("peer", 9, 0, IndexPosition.NONE), 0),
        "peer");
    rig.engine.puller.pump();
    rig.runReady();

    assertThat(rig.engine.puller.needs().size()).isZero();
    assertThat(current).doesNotExist();
  }

  private void fullScan() {
    rig.engine.requestFullScan();
    rig.runReady();
  }

  private void offer(FileRecord r) {
    rig.control.execute(() -> {
      rig.engine.commits.write(new StoreBatch().putRemote(PEER, r));
      rig.engine.puller.consider(PEER, r, null);
    });
    rig.runReady();
  }

  private static FileRecord remoteFile(String path, String content, long counter) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, data.length, Sha256.of(data)));
    return FileRecord.file(RelativePath.of(path), data.length, 1_000_000_000L, false, blocks,
        HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER, counter), PEER).withSequence(counter);
  }
}
