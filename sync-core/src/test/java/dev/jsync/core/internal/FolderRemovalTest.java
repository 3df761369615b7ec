package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's delete of a folder that still holds files jSync does not sync: junk files and temp
 * files go with it; any other ignored file keeps it, is reported once with its path, and the
 * delete is tried again once per scan interval, not in a loop.
 */
class FolderRemovalTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;
  private long peerSequence;

  @Test
  void junkAndTempFilesGoWithAFolderAPeerDeleted() throws IOException {
    Files.createDirectories(root.resolve("photos/2026"));
    Files.writeString(root.resolve("photos/2026/cat.jpg"), "a cat");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    for (String junk : new String[] {"photos/.DS_Store", "photos/2026/._cat.jpg", "photos/2026/Thumbs.db",
        "photos/desktop.ini", "photos/2026/.jsync-tmp-0123abcd-0123456789abcdef"}) {
      Files.writeString(root.resolve(junk), "junk");
    }

    deleteOnPeer("photos/2026/cat.jpg", "photos/2026", "photos");

    assertThat(root.resolve("photos")).doesNotExist();
    assertThat(local("photos").deleted()).isTrue();
    assertThat(rig.engine.puller.needs().size()).isZero();
    assertThat(rig.events(SyncEvent.Error.class)).isEmpty();
  }

  @Test
  void anIgnoredFileThatIsNotJunkKeepsTheFolderAndIsReportedOnceWithItsPath() throws IOException {
    Files.createDirectories(root.resolve("project/.git"));
    Files.writeString(root.resolve("project/.git/HEAD"), "ref: refs/heads/main");
    Files.writeString(root.resolve("project/.DS_Store"), "junk");
    Files.writeString(root.resolve("project/readme.md"), "synced");
    rig = new EngineRig(root, SyncOptions.defaults()).started();

    deleteOnPeer("project/readme.md", "project");
    assertThat(root.resolve("project/readme.md")).doesNotExist();
    for (int i = 0; i < 20; i++) {
      rig.advance(SyncOptions.defaults().scanInterval());
    }

    assertThat(root.resolve("project/.git/HEAD")).as("never deleted by jSync").exists();
    assertThat(root.resolve("project/.DS_Store")).as("nothing goes while the folder stays").exists();
    assertThat(rig.events(SyncEvent.Error.class)).as("reported once, naming what holds it").singleElement()
        .satisfies(e -> {
          assertThat(e.path()).contains(RelativePath.of("project"));
          assertThat(e.message()).contains("project/.git").contains("ignored");
        });
    Need need = rig.engine.puller.needs().get(RelativePath.of("project"));
    assertThat(need).as("still needed: the status shows the folder as not in sync").isNotNull();
    assertThat(need.notBeforeNanos - rig.engine.nowNanos()).as("next try at most one scan interval away")
        .isPositive().isLessThanOrEqualTo(SyncOptions.defaults().scanInterval().toNanos());
    assertThat(need.failures).as("one try per scan interval, not one per quiet window")
        .isLessThanOrEqualTo(PullFailures.HELD_QUIET_TRIES + 20 + 1);

    // The user removes what held it: the next try deletes the folder, junk and all.
    Files.delete(root.resolve("project/.git/HEAD"));
    Files.delete(root.resolve("project/.git"));
    rig.advance(SyncOptions.defaults().scanInterval());
    assertThat(root.resolve("project")).doesNotExist();
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  @Test
  void junkIsRecognisedByNameOnly() {
    assertThat(FolderRemoval.isJunk(".DS_Store")).isTrue();
    assertThat(FolderRemoval.isJunk("._note.md")).isTrue();
    assertThat(FolderRemoval.isJunk("Thumbs.db")).isTrue();
    assertThat(FolderRemoval.isJunk("Desktop.ini")).isTrue();
    assertThat(FolderRemoval.isJunk("._")).isFalse();
    assertThat(FolderRemoval.isJunk("notes.DS_Store")).isFalse();
    assertThat(FolderRemoval.isJunk("build.log")).isFalse();
  }

  /** Stores the peer's tombstones of {@code paths} (deepest first is the puller's job) and lets them run. */
  private void deleteOnPeer(String... paths) {
    rig.engine.peers.addKnown(PEER);
    for (String p : paths) {
      FileRecord local = local(p);
      FileRecord gone = local.toTombstone(local.version().increment(PEER, 1), PEER, 1_000).withSequence(++peerSequence);
      rig.control.execute(() -> {
        rig.engine.commits.write(new StoreBatch().putRemote(PEER, gone));
        rig.engine.puller.consider(PEER, gone, null);
      });
    }
    rig.runReady();
    rig.engine.puller.pump();
    rig.runReady();
    rig.advance(Duration.ofSeconds(1));
  }

  private FileRecord local(String path) {
    return rig.store.local(RelativePath.of(path)).orElseThrow().record();
  }
}
