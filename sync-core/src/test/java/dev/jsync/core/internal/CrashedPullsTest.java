package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.ConflictCopies;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashedPulls}: a peer's version wins a conflict over ours, the applier moves ours to a
 * conflict copy and renames the pulled file into place, and the folder sync fails, so nothing is
 * recorded; the user edits the pulled file in place, and a crash undoes both renames. Ours is back
 * at the path, the pulled file (with the user's edit) back at its temp name. The restart must
 * carry the commit out again rather than take the temp file for an abandoned download.
 */
class CrashedPullsTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");
  private static final String OURS = "our text";
  private static final String PEERS_TEXT = "the peer's text";
  private static final String USERS_EDIT = "the user's edit of the peer's text";
  private static final RelativePath NOTE = RelativePath.of("note.txt");

  @TempDir Path root;
  private EngineRig rig;
  private FileRecord ours;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(root.resolve("note.txt"), OURS);
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    ours = rig.store.local(NOTE).orElseThrow().record();
  }

  @Test
  void aUsersEditOfAPulledFileIsKeptWhenTheCrashAlsoPutTheConflictsLoserBack() throws IOException {
    FileRecord peers = conflictCommittedWithEverySyncFailing();
    Files.writeString(root.resolve("note.txt"), USERS_EDIT); // in place, into the pulled file
    Path temp = root.resolve(FileAssembly.tempName(peers));
    Path copy = root.resolve(ConflictCopies.pathFor(ours).toString());
    Files.move(root.resolve("note.txt"), temp); // the crash undoes the newest rename first
    Files.move(copy, root.resolve("note.txt"));

    EngineRig next = new EngineRig(root, SyncOptions.defaults(), rig.store).started();

    assertThat(temp).doesNotExist();
    assertThat(root.resolve("note.txt")).hasContent(USERS_EDIT);
    assertThat(copy).hasContent(OURS);
    FileRecord edit = next.store.local(NOTE).orElseThrow().record();
    assertThat(edit.modifiedBy()).isEqualTo(EngineRig.SELF);
    assertThat(edit.size()).isEqualTo(USERS_EDIT.length());
    assertThat(edit.version().dominates(peers.version())).as("an edit that follows the peer's version").isTrue();
    assertThat(next.store.local(ConflictCopies.pathFor(ours)).orElseThrow().record().sameContent(ours)).isTrue();
  }

  @Test
  void aPulledFileTheUserNeverWroteIntoIsLeftToThePuller() throws IOException {
    FileRecord peers = conflictCommittedWithEverySyncFailing();
    Path temp = root.resolve(FileAssembly.tempName(peers));
    Files.move(root.resolve("note.txt"), temp);
    Files.move(root.resolve(ConflictCopies.pathFor(ours).toString()), root.resolve("note.txt"));

    new EngineRig(root, SyncOptions.defaults(), rig.store).started();

    assertThat(root.resolve("note.txt")).hasContent(OURS);
    assertThat(files().stream().filter(f -> !f.startsWith(RelativePath.TEMP_PREFIX)))
        .as("no copy made of the pulled version, nothing put back over ours").containsExactly("note.txt");
  }

  @Test
  void aUsersWriteTakenBackToATempFileIsKeptAsACopyWhereTheUserSavedOverThePathMeanwhile() throws IOException {
    FileRecord peers = conflictCommittedWithEverySyncFailing();
    Files.writeString(root.resolve("note.txt"), USERS_EDIT);
    Path temp = root.resolve(FileAssembly.tempName(peers));
    Files.move(root.resolve("note.txt"), temp);
    Files.move(root.resolve(ConflictCopies.pathFor(ours).toString()), root.resolve("note.txt"));
    Files.writeString(root.resolve("note.txt"), "saved while the node was down");

    EngineRig next = new EngineRig(root, SyncOptions.defaults(), rig.store).started();

    assertThat(temp).doesNotExist();
    assertThat(root.resolve("note.txt")).hasContent("saved while the node was down");
    FileRecord save = next.store.local(NOTE).orElseThrow().record();
    assertThat(save.size()).isEqualTo("saved while the node was down".length());
    assertThat(save.version().dominates(peers.version())).as("made over what the crash left, not the pulled file")
        .isFalse();
    assertThat(save.version().dominates(ours.version())).isTrue();
    assertThat(files().stream().filter(f -> f.startsWith("note.txt.conflict-")).map(f -> read(root.resolve(f))))
        .containsExactly(USERS_EDIT);
  }

  /**
   * Does on disk what the applier does for the peer's winning version, and stages both changes
   * with every folder sync failing: nothing is recorded. Returns the peer's version as staged.
   */
  private FileRecord conflictCommittedWithEverySyncFailing() {
    byte[] bytes = PEERS_TEXT.getBytes(StandardCharsets.UTF_8);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, bytes.length, Sha256.of(bytes)));
    FileRecord peers = FileRecord.file(NOTE, bytes.length, 1_000, false, blocks, HashedContent.contentHashOf(blocks),
        VersionVector.empty().increment(PEER).merge(ours.version()), PEER);
    RelativePath copyPath = ConflictCopies.pathFor(ours);
    rig.disk.syncFailure = new IOException("device gone");
    rig.control.execute(() -> {
      try {
        GroupCommit commits = rig.engine.commits;
        Files.move(root.resolve("note.txt"), root.resolve(copyPath.toString()));
        FileRecord copy = new FileRecord(copyPath, ours.kind(), ours.size(), ours.modifiedNanos(), false, ours.blocks(),
            ours.contentHash(), "", VersionVector.empty().increment(EngineRig.SELF), EngineRig.SELF, false, 0,
            commits.nextSequence());
        commits.stage(LocalEntry.of(copy, rig.engine.disk.observe(copyPath).orElseThrow().stat()), root);
        Files.write(root.resolve("note.txt"), bytes);
        commits.stage(LocalEntry.of(peers.withSequence(commits.nextSequence()),
            rig.engine.disk.observe(NOTE).orElseThrow().stat()), root, CrashTrace.KEPT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    rig.runReady();
    assertThat(rig.store.local(NOTE).orElseThrow().record()).as("not recorded").isEqualTo(ours);
    return peers;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
