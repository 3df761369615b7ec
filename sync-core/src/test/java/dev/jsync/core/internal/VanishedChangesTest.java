package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link VanishedChanges}: a failed commit's change the user removed is recorded as removed. */
class VanishedChangesTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  /**
   * A pulled file whose commit failed, removed by the user, who then writes a file of their own
   * under the same name in another case. On a case-insensitive disk a lookup that folds case
   * finds the user's file and takes the pulled one for still there: its removal was never
   * recorded, and peers kept the deleted version. The lookup is by exactly the name, as the
   * scanner's, so the outcome is the same on every disk.
   */
  @ParameterizedTest
  @ValueSource(strings = {"unix", "osX", "windows"})
  void aPulledFileRemovedAndACaseVariantWrittenIsRecordedAsRemovedOnEveryDisk(String kind) throws IOException {
    Configuration base = switch (kind) {
      case "osX" -> Configuration.osX();
      case "windows" -> Configuration.windows();
      default -> Configuration.unix();
    };
    try (FileSystem fs = Jimfs.newFileSystem(base.toBuilder().setAttributeViews("basic", "posix").build())) {
      Path root = Files.createDirectories(fs.getRootDirectories().iterator().next().resolve("sync"));
      EngineRig rig = new EngineRig(root, SyncOptions.defaults()).started();
      byte[] bytes = "the peer's text".getBytes(StandardCharsets.UTF_8);
      Files.write(root.resolve("pulled.txt"), bytes);
      List<BlockInfo> blocks = List.of(new BlockInfo(0, bytes.length, Sha256.of(bytes)));
      FileRecord peers = FileRecord.file(RelativePath.of("pulled.txt"), bytes.length, 1_000, false, blocks,
          HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER), PEER);
      rig.disk.syncFailure = new IOException("device gone");
      rig.control.execute(() -> {
        try {
          Path file = rig.engine.disk.resolve(peers.path());
          rig.engine.commits.stage(LocalEntry.of(peers.withSequence(rig.engine.commits.nextSequence()),
              rig.engine.disk.observe(file).orElseThrow().stat()), file.getParent(), CrashTrace.KEPT);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      rig.runReady();
      rig.disk.syncFailure = null;

      Files.delete(root.resolve("pulled.txt"));
      Files.writeString(root.resolve("Pulled.txt"), "the user's own note");
      rig.engine.requestScan(List.of(RelativePath.of("pulled.txt"), RelativePath.of("Pulled.txt")));
      rig.runReady();
      rig.advance(GroupCommit.FIRST_RETRY.multipliedBy(8));
      rig.runReady();

      Optional<LocalEntry> recorded = rig.store.local(RelativePath.of("pulled.txt"));
      assertThat(recorded).as("the user's removal of the peer's version is recorded").isPresent();
      assertThat(recorded.get().record().deleted()).isTrue();
      assertThat(recorded.get().record().version().dominates(peers.version())).isTrue();
      assertThat(rig.engine.commits.unrecorded.isEmpty()).as("nothing left unsettled").isTrue();
    }
  }
}
