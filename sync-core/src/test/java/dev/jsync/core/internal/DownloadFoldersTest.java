package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folders made only to hold a download survive a restart: the store learns of them before
 * they are made, so the start-up scan after a restart does not take one for a folder made here
 * (a new local version, which would beat a peer's removal of it and bring it back everywhere).
 */
class DownloadFoldersTest {

  private static final RelativePath D = RelativePath.of("d");
  private static final RelativePath DE = RelativePath.of("d/e");

  @TempDir Path root;

  @Test
  void aFolderMadeForADownloadIsNotRecordedAsANewFolderAfterARestart() throws IOException {
    EngineRig first = new EngineRig(root, SyncOptions.defaults()).started();
    first.engine.applier.madeForDownloads.makeFor(root.resolve("d/e")); // as a pull does for its temp file
    assertThat(first.store.downloadFolders()).containsExactly(D, DE);

    EngineRig second = new EngineRig(root, SyncOptions.defaults(), first.store).started();

    assertThat(Files.isDirectory(root.resolve("d/e"))).isTrue();
    assertThat(second.store.local(D)).as("the start-up scan recorded d as a new folder").isEmpty();
    assertThat(second.store.local(DE)).as("the start-up scan recorded d/e as a new folder").isEmpty();
    assertThat(second.engine.applier.madeForDownloads.contains(D)).isTrue();
    assertThat(second.engine.applier.madeForDownloads.contains(DE)).isTrue();
  }

  @Test
  void aMarkWhoseFolderIsGoneOrHasARecordIsDroppedAtTheNextStart() throws IOException {
    EngineRig first = new EngineRig(root, SyncOptions.defaults()).started();
    first.engine.applier.madeForDownloads.makeFor(root.resolve("d/e"));
    first.engine.applier.madeForDownloads.makeFor(root.resolve("gone"));
    Files.delete(root.resolve("gone"));
    // A record of d/e landed, and the process died before the mark was forgotten.
    first.store.local.put(DE, dev.jsync.core.store.LocalEntry.withoutStat(dev.jsync.core.FileRecord.directory(DE, 1,
        dev.jsync.core.VersionVector.empty().increment(EngineRig.SELF), EngineRig.SELF).withSequence(99)));

    EngineRig second = new EngineRig(root, SyncOptions.defaults(), first.store);
    second.engine.start();
    second.runReady();

    assertThat(second.store.downloadFolders()).containsExactly(D);
    assertThat(second.engine.applier.madeForDownloads.contains(D)).isTrue();
    assertThat(second.engine.applier.madeForDownloads.contains(RelativePath.of("gone"))).isFalse();
  }
  /**
   * A mark is written before its folder is made; when making it fails, the marks of the folders
   * not made are dropped. Kept, a missing folder with a mark would read as one its user removed.
   */
  @Test
  void theMarksOfFoldersThatCouldNotBeMadeAreDropped() throws IOException {
    EngineRig rig = new EngineRig(root, SyncOptions.defaults()).started();
    rig.engine.applier.madeForDownloads.makeFor(root.resolve("d"));
    rig.disk.mkdirsFailure = new java.nio.file.FileSystemException(root.resolve("d/e").toString(), null,
        "No space left on device");

    assertThatThrownBy(() -> rig.engine.applier.madeForDownloads.makeFor(root.resolve("d/e/f")))
        .isInstanceOf(IOException.class);

    assertThat(rig.engine.applier.madeForDownloads.contains(D)).as("made, and still there").isTrue();
    assertThat(rig.engine.applier.madeForDownloads.contains(DE)).isFalse();
    assertThat(rig.engine.applier.madeForDownloads.contains(RelativePath.of("d/e/f"))).isFalse();
    assertThat(rig.store.downloadFolders()).containsExactly(D);
  }
}
