package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.BlockInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Applier} on its own: peers' versions, decided by the real {@link Reconciler}, are carried
 * out on a real folder that a real scan indexed first. Seen: the files, the index entries staged
 * and the events; the order of renames through the recording disk.
 */
class ApplierTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  /** A folder outside the synced one. */
  @TempDir Path elsewhere;
  private EngineRig rig;

  @Test
  void aFileEditedSinceTheDecisionIsNotDeletedButRescanned() throws IOException {
    Files.writeString(root.resolve("note.txt"), "first draft");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord local = local("note.txt");
    Decision.Apply delete = decide(local.toTombstone(local.version().increment(PEER, 1), PEER, 1));
    assertThat(delete.result().deleted()).isTrue();

    Files.writeString(root.resolve("note.txt"), "second draft, written meanwhile");
    rig.engine.applier.applyInPlace(delete, PEER);
    rig.runReady();

    assertThat(root.resolve("note.txt")).hasContent("second draft, written meanwhile");
    FileRecord now = local("note.txt");
    assertThat(now.deleted()).isFalse();
    assertThat(now.size()).as("the edit was recorded by a rescan").isEqualTo("second draft, written meanwhile".length());
    assertThat(rig.events(SyncEvent.FileDeleted.class)).isEmpty();
  }

  @Test
  void aPeersChmodWhoseTimeIsRefusedLeavesNothingTheNextScanTakesForAnEditOfOurs() throws IOException {
    Files.writeString(root.resolve("run.sh"), "echo hi");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord local = local("run.sh");
    FileRecord chmod = FileRecord.file(local.path(), local.size(), local.modifiedNanos() + 1_000_000_000L, true,
        local.blocks(), local.contentHash(), local.version().increment(PEER, 1), PEER).withSequence(1);
    rig.disk.timesFailure = new AccessDeniedException(root.resolve("run.sh").toString(), null, "Permission denied");

    assertThatThrownBy(() -> rig.engine.applier.applyInPlace(decide(chmod), PEER)).isInstanceOf(AccessDeniedException.class);
    rig.runReady();
    rig.disk.timesFailure = null;
    rig.engine.requestScan(List.of(local.path()));
    rig.runReady();

    assertThat(Files.isExecutable(root.resolve("run.sh"))).as("the bit waits for the time").isFalse();
    assertThat(local("run.sh").version()).as("no version of ours").isEqualTo(local.version());
  }

  @Test
  void aPeersDeleteOfAnUnchangedFileRemovesItAndRecordsTheTombstone() throws IOException {
    Files.writeString(root.resolve("old.txt"), "not needed");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord local = local("old.txt");
    rig.engine.applier.applyInPlace(decide(local.toTombstone(local.version().increment(PEER, 1), PEER, 1)), PEER);
    rig.runReady();

    assertThat(root.resolve("old.txt")).doesNotExist();
    assertThat(local("old.txt").deleted()).isTrue();
    assertThat(rig.events(SyncEvent.FileDeleted.class)).singleElement()
        .satisfies(e -> assertThat(e.path()).hasToString("old.txt"));
  }

  @Test
  void theLosingLocalVersionIsMovedToItsConflictCopyBeforeThePeersVersionReplacesIt() throws IOException {
    Files.writeString(root.resolve("doc.txt"), "ours");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord local = local("doc.txt");
    byte[] theirs = "theirs, saved later".getBytes(StandardCharsets.UTF_8);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, theirs.length, Sha256.of(theirs)));
    FileRecord remote = FileRecord.file(local.path(), theirs.length, local.modifiedNanos() + 3_600_000_000_000L, false,
        blocks, HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER, 1), PEER).withSequence(1);
    Decision.Apply apply = decide(remote);
    assertThat(apply.conflictCopy()).as("concurrent versions: ours is kept as a copy").isPresent();
    Path temp = root.resolve(FileAssembly.tempName(remote));
    Files.write(temp, theirs);
    rig.disk.clear();

    rig.engine.applier.applyPulled(apply, PEER, new Applier.PulledFile(temp, remote, theirs.length, 0));
    rig.runReady();

    RelativePath copy = apply.conflictCopy().get();
    assertThat(root.resolve("doc.txt")).hasContent("theirs, saved later");
    assertThat(root.resolve(copy.toString())).hasContent("ours");
    assertThat(temp).doesNotExist();
    List<String> moves = rig.disk.log().stream().filter(op -> op.startsWith("move")).toList();
    assertThat(moves).containsExactly("move doc.txt " + copy.name(), "move " + temp.getFileName() + " doc.txt");
    assertThat(local(copy.toString()).contentHash()).isEqualTo(local.contentHash());
    assertThat(local("doc.txt").contentHash()).isEqualTo(remote.contentHash());
    assertThat(rig.events(SyncEvent.ConflictCopyCreated.class)).singleElement()
        .satisfies(e -> assertThat(e.copy()).isEqualTo(copy));
  }

  @Test
  void aFileInTheWayOfAFolderAboveIsKeptAsAConflictCopyAndTheFolderMade() throws IOException {
    Files.writeString(root.resolve("photos"), "a file where the peer has a folder");
    rig = new EngineRig(root, SyncOptions.defaults()).started();

    rig.engine.applier.makeFoldersAbove(RelativePath.of("photos/2026/cat.jpg"), PEER);
    rig.runReady();

    assertThat(root.resolve("photos")).isDirectory();
    assertThat(local("photos").kind()).isEqualTo(FileKind.DIRECTORY);
    assertThat(rig.events(SyncEvent.ConflictCopyCreated.class)).singleElement().satisfies(e -> {
      assertThat(e.original()).hasToString("photos");
      assertThat(root.resolve(e.copy().toString())).hasContent("a file where the peer has a folder");
    });
  }

  @Test
  void aPeersFolderIsMadeWithTheFoldersAboveIt() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord folder = FileRecord.directory(RelativePath.of("x/y/z"), 1_000, VersionVector.empty().increment(PEER, 1), PEER)
        .withSequence(1);
    rig.engine.applier.applyInPlace(decide(folder), PEER);
    rig.runReady();
    assertThat(root.resolve("x/y/z")).isDirectory();
    assertThat(local("x/y/z").kind()).isEqualTo(FileKind.DIRECTORY);
  }

  /**
   * Another process swaps the folder of a file a peer deleted for a link to a folder holding a
   * file of the same name, between the engine's last look at the file and the delete: the delete
   * is made in the folder opened without following links, so it fails rather than removing the
   * file the link leads to.
   */
  @Test
  void aFolderSwappedForALinkRightBeforeADeleteDoesNotRedirectIt() throws IOException {
    Path outside = elsewhere;
    Files.writeString(outside.resolve("key"), "not synced");
    Files.writeString(Files.createDirectories(root.resolve("notes")).resolve("key"), "synced");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord local = local("notes/key");
    rig.disk.beforeChange = swapForLinkOnce(root.resolve("notes"), outside);

    assertThatThrownBy(() -> rig.engine.applier.applyInPlace(
        decide(local.toTombstone(local.version().increment(PEER, 1), PEER, 1)), PEER)).isInstanceOf(IOException.class);
    rig.runReady();

    assertThat(Files.isSymbolicLink(root.resolve("notes"))).as("the race was played").isTrue();
    assertThat(outside.resolve("key")).hasContent("not synced");
    assertThat(rig.events(SyncEvent.FileDeleted.class)).isEmpty();
  }

  /**
   * The same race right before a download is renamed into place, where the link leads to a
   * folder that holds a file at the temp file's name: the rename is made in the folder opened
   * without following links, so nothing where the link leads is renamed or replaced.
   */
  @Test
  void aFolderSwappedForALinkRightBeforeTheRenameIntoPlaceDoesNotRedirectIt() throws IOException {
    Files.createDirectories(root.resolve("notes"));
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    byte[] theirs = "the peer's note".getBytes(StandardCharsets.UTF_8);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, theirs.length, Sha256.of(theirs)));
    FileRecord remote = FileRecord.file(RelativePath.of("notes/new.txt"), theirs.length, 1_000_000_000L, false,
        blocks, HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER, 1), PEER).withSequence(1);
    String tempName = FileAssembly.tempName(remote);
    Path temp = Files.write(root.resolve("notes").resolve(tempName), theirs);
    Path outside = elsewhere;
    Files.writeString(outside.resolve(tempName), "planted");
    Files.writeString(outside.resolve("new.txt"), "not synced");
    rig.disk.beforeChange = swapForLinkOnce(root.resolve("notes"), outside);

    assertThatThrownBy(() -> rig.engine.applier.applyPulled(decide(remote), PEER,
        new Applier.PulledFile(temp, remote, theirs.length, 0))).isInstanceOf(IOException.class);
    rig.runReady();

    assertThat(Files.isSymbolicLink(root.resolve("notes"))).as("the race was played").isTrue();
    assertThat(outside.resolve("new.txt")).hasContent("not synced");
    assertThat(outside.resolve(tempName)).hasContent("planted");
  }

  /** The first time it runs, moves {@code folder} aside and puts a link to {@code to} in its place. */
  private static java.util.function.Consumer<Path> swapForLinkOnce(Path folder, Path to) {
    boolean[] done = {false};
    return p -> {
      if (!done[0]) {
        done[0] = true;
        try {
          Files.move(folder, folder.resolveSibling(folder.getFileName() + ".moved"));
          Files.createSymbolicLink(folder, to);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  private Decision.Apply decide(FileRecord remote) {
    Optional<FileRecord> local = rig.store.local(remote.path()).map(e -> e.record());
    Decision d = new Reconciler(SyncOptions.defaults().resolver()).decide(local, remote);
    assertThat(d).isInstanceOf(Decision.Apply.class);
    return (Decision.Apply) d;
  }

  private FileRecord local(String path) {
    return rig.store.local(RelativePath.of(path)).orElseThrow().record();
  }
}
