package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupCommit} on its own: entries staged in quick succession are written to the store
 * in one batch with one fsync per folder, on the I/O executor (held here, so the test sees a
 * flight under way); until then reads see them; sequence numbers reach the store in order; a
 * failed write is reported and answered with a full scan after a back-off that doubles with each
 * failure in a row, and that scan records what the failed write meant, not a change of ours.
 */
class GroupCommitTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");
  private static final String PEERS_TEXT = "the peer's text";
  private static final String USERS_EDIT = "the user's edit of the peer's text";

  @TempDir Path root;
  private EngineRig rig;
  private GroupCommit commits;
  private final ArrayDeque<Runnable> heldIo = new ArrayDeque<>();
  private Path sub;

  @BeforeEach
  void start() throws IOException {
    sub = Files.createDirectory(root.resolve("sub"));
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    commits = rig.engine.commits;
    rig.io = heldIo::add;
    rig.store.applied.clear();
    rig.disk.clear();
    rig.events.clear();
  }

  @Test
  void changesStagedTogetherAreWrittenInOneBatchWithOneSyncPerFolder() {
    long seqBefore = commits.lastSequence();
    List<Long> sequences = new ArrayList<>();
    rig.control.execute(() -> {
      for (String p : List.of("x", "y", "sub/z")) {
        long seq = commits.nextSequence();
        sequences.add(seq);
        commits.stage(entry(p, seq), p.startsWith("sub/") ? sub : root);
      }
    });
    rig.runReady();

    assertThat(sequences).containsExactly(seqBefore + 1, seqBefore + 2, seqBefore + 3);
    assertThat(heldIo).as("one flight for the three").hasSize(1);
    assertThat(rig.store.applied).as("nothing in the store while the flight is under way").isEmpty();
    assertThat(commits.local(RelativePath.of("sub/z"))).as("reads see the entry in flight")
        .map(e -> e.record().sequence()).contains(seqBefore + 3);
    assertThat(commits.liveFiles()).isEqualTo(4); // the scanned "sub" and the three staged

    heldIo.poll().run();
    rig.runReady();

    assertThat(rig.store.applied).singleElement().satisfies(b -> assertThat(b.size()).isEqualTo(3));
    assertThat(rig.disk.log()).containsExactlyInAnyOrder("fsync " + root.getFileName(), "fsync sub");
    assertThat(rig.store.lastSequence()).isEqualTo(seqBefore + 3);
    assertThat(rig.store.local(RelativePath.of("y"))).isPresent();
  }

  @Test
  void whatIsStagedDuringAFlightGoesInTheNextOneAfterItLands() {
    List<String> landed = new ArrayList<>();
    rig.control.execute(() -> {
      commits.stage(entry("first", commits.nextSequence()), root);
      commits.afterLanding(() -> landed.add("first"));
    });
    rig.runReady();
    assertThat(heldIo).hasSize(1);

    rig.control.execute(() -> {
      commits.stage(entry("second", commits.nextSequence()), root);
      commits.afterLanding(() -> landed.add("second"));
    });
    rig.runReady();
    assertThat(heldIo).as("one flight at a time").hasSize(1);
    assertThat(landed).isEmpty();

    heldIo.poll().run();
    rig.runReady();
    assertThat(landed).as("the first flight's follow-up runs once it landed").containsExactly("first");
    assertThat(rig.store.local(RelativePath.of("first"))).isPresent();
    assertThat(rig.store.local(RelativePath.of("second"))).isEmpty();
    assertThat(heldIo).as("its landing sends the second off").hasSize(1);

    heldIo.poll().run();
    rig.runReady();
    assertThat(landed).containsExactly("first", "second");
    assertThat(rig.store.applied).hasSize(2);
    assertThat(rig.store.applied.get(0).ops()).singleElement()
        .satisfies(op -> assertThat(((StoreBatch.PutLocal) op).entry().record().path()).hasToString("first"));
  }

  @Test
  void aDirectWriteLandsWhatIsStagedFirstSoSequencesReachTheStoreInOrder() {
    rig.control.execute(() -> {
      commits.stage(entry("staged", commits.nextSequence()), root);
      commits.write(new StoreBatch().putLocal(entry("direct", commits.nextSequence())));
    });
    rig.runReady();

    assertThat(rig.store.applied).hasSize(2);
    List<Long> order = rig.store.applied.stream().flatMap(b -> b.ops().stream())
        .map(op -> ((StoreBatch.PutLocal) op).entry().record().sequence()).toList();
    assertThat(order).isSorted().hasSize(2);
    assertThat(rig.disk.log()).as("the staged change's folder was synced before").contains("fsync " + root.getFileName());
    heldIo.forEach(Runnable::run); // the flight's I/O task finds it written already
    rig.runReady();
    assertThat(rig.store.applied).hasSize(2);
  }

  @Test
  void aDeleteStagedOverALivePathCountsOneFileFewer() {
    rig.control.execute(() -> commits.write(new StoreBatch().putLocal(entry("gone", commits.nextSequence()))));
    rig.runReady();
    long live = commits.liveFiles();
    rig.control.execute(() -> {
      FileRecord dead = entry("gone", 0).record()
          .toTombstone(VersionVector.empty().increment(PEER), PEER, 1).withSequence(commits.nextSequence());
      commits.stage(LocalEntry.withoutStat(dead), root);
    });
    rig.runReady();
    assertThat(commits.liveFiles()).isEqualTo(live - 1);
  }

  @Test
  void aFailedWriteIsReportedAndTheFolderScannedAgainAfterABackOff() {
    rig.disk.syncFailure = deviceGone();
    rig.control.execute(() -> commits.stage(entry("lost", commits.nextSequence()), root));
    rig.runReady();
    rig.io = Runnable::run; // the full scan that answers the failure runs inline
    heldIo.poll().run();
    rig.disk.syncFailure = null;
    rig.runReady();

    assertThat(rig.events(SyncEvent.Error.class)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("recording applied changes failed").contains("device gone"));
    assertThat(rig.store.local(RelativePath.of("lost"))).as("not written").isEmpty();
    assertThat(commits.local(RelativePath.of("lost"))).as("no longer overlaid once landed").isEmpty();
    assertThat(rig.events(SyncEvent.ScanFinished.class)).as("not at once").isEmpty();
    rig.advance(GroupCommit.FIRST_RETRY);
    assertThat(rig.events(SyncEvent.ScanFinished.class)).as("a full scan records what is on disk")
        .singleElement().satisfies(s -> assertThat(s.full()).isTrue());
  }

  @Test
  void failuresInARowBackOffTwiceAsLongEachTimeWhileStagedChangesWait() throws IOException {
    for (String folder : List.of("a", "b")) {
      Files.createDirectory(root.resolve(folder)); // what the staged entries describe is on disk
    }
    rig.io = Runnable::run;
    rig.disk.syncFailure = deviceGone();
    rig.control.execute(() -> commits.stage(entry("a", commits.nextSequence()), root));
    rig.runReady();
    rig.control.execute(() -> commits.stage(entry("b", commits.nextSequence()), root));
    rig.runReady();
    assertThat(rig.store.applied.stream().flatMap(b -> b.ops().stream()))
        .as("no record written").noneMatch(op -> op instanceof StoreBatch.PutLocal);
    assertThat(commits.local(RelativePath.of("b"))).as("waiting, and read as staged").isPresent();

    rig.advance(GroupCommit.FIRST_RETRY); // a full scan, and b's flight, which fails too
    assertThat(fullScans()).isEqualTo(1);
    assertThat(rig.store.local(RelativePath.of("a"))).isEmpty();
    assertThat(rig.store.local(RelativePath.of("b"))).isEmpty();

    rig.disk.syncFailure = null;
    Files.createDirectory(root.resolve("c"));
    rig.control.execute(() -> commits.stage(entry("c", commits.nextSequence()), root));
    rig.runReady();
    rig.advance(GroupCommit.FIRST_RETRY);
    assertThat(fullScans()).as("the second back-off is twice the first").isEqualTo(1);
    assertThat(rig.store.local(RelativePath.of("c"))).as("waits for the back-off").isEmpty();
    rig.advance(GroupCommit.FIRST_RETRY);
    assertThat(fullScans()).isEqualTo(2);
    assertThat(rig.store.local(RelativePath.of("c"))).isPresent();

    Files.createDirectory(root.resolve("d"));
    rig.control.execute(() -> commits.stage(entry("d", commits.nextSequence()), root));
    rig.runReady();
    assertThat(rig.store.local(RelativePath.of("d"))).as("written at once: the back-off has ended").isPresent();
  }

  @Test
  void whatAFailedCommitPutOnDiskIsKeptInTheStoreUntilItIsRecorded() throws IOException {
    rig.io = Runnable::run;
    Files.createDirectory(root.resolve("kept"));
    rig.disk.syncFailure = deviceGone();
    rig.control.execute(() -> commits.stage(entry("kept", commits.nextSequence()), root));
    rig.runReady();
    assertThat(rig.store.metadata(UnrecordedChanges.META_KEY)).as("kept for the next start").isPresent();

    // Read back at the next start: the start-up scan decides it; no adoption goes first.
    UnrecordedChanges next = new UnrecordedChanges(rig.engine.disk);
    next.load(rig.store);
    RelativePath path = RelativePath.of("kept");
    assertThat(next.claim(path, rig.store.local(path), true)).isInstanceOf(UnrecordedChanges.Claim.Wait.class);
    next.dropRestored();
    assertThat(next.isEmpty()).isTrue();

    rig.disk.syncFailure = null;
    rig.advance(GroupCommit.FIRST_RETRY); // the full scan records it
    assertThat(rig.store.local(path)).isPresent();
    assertThat(rig.store.metadata(UnrecordedChanges.META_KEY)).as("forgotten once recorded").isEmpty();
  }

  @Test
  void aScanThatFindsExactlyWhatAFailedCommitPutOnDiskRecordsTheVersionItMeant() throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulledFolder("made");
    rig.disk.syncFailure = deviceGone();
    stage(peers, CrashTrace.NONE);
    assertThat(rig.store.local(RelativePath.of("made"))).isEmpty();

    rig.disk.syncFailure = null;
    rig.advance(GroupCommit.FIRST_RETRY); // the full scan finds the folder
    FileRecord recorded = recorded(rig, "made");
    assertThat(recorded.version()).as("the peer's version, not a new one of ours").isEqualTo(peers.version());
    assertThat(recorded.modifiedBy()).isEqualTo(PEER);
    assertThat(rig.disk.log()).as("recorded after a sync of its folder").contains("fsync " + root.getFileName());
    assertThat(rig.events(SyncEvent.RecordedAgain.class)).as("the failure's path is settled, and said so")
        .containsExactly(new SyncEvent.RecordedAgain(RelativePath.of("made")));
  }

  @Test
  void aRecordingThatFailsAgainIsNotReportedAsRecorded() throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulledFolder("made");
    rig.disk.syncFailure = deviceGone();
    stage(peers, CrashTrace.NONE);
    rig.advance(GroupCommit.FIRST_RETRY); // the full scan finds the folder, and its write fails again

    assertThat(rig.store.local(RelativePath.of("made"))).isEmpty();
    assertThat(rig.events(SyncEvent.RecordedAgain.class)).isEmpty();
  }

  @Test
  void anEditOverWhatAFailedCommitPutOnDiskFollowsTheVersionItMeant() throws IOException {
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.NONE);
    Files.writeString(root.resolve("pulled.txt"), USERS_EDIT); // they saw the peer's version
    rig.disk.syncFailure = null;
    rig.advance(GroupCommit.FIRST_RETRY);

    assertUsersEditOf(peers, recorded(rig, "pulled.txt"));
  }

  @Test
  void anEditOverWhatAFailedCommitPutOnDiskIsRecordedOnlyOnceItsFolderSyncSucceeded() throws IOException {
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT);
    Files.writeString(root.resolve("pulled.txt"), USERS_EDIT);

    rig.advance(GroupCommit.FIRST_RETRY); // the full scan finds the edit; the folder sync fails again
    assertThat(rig.store.local(RelativePath.of("pulled.txt")))
        .as("no record of the edit while the rename it was made over may still be undone").isEmpty();
    assertThat(rig.store.metadata(UnrecordedChanges.META_KEY)).isPresent();

    rig.disk.syncFailure = null;
    rig.advance(GroupCommit.FIRST_RETRY.multipliedBy(2));
    assertUsersEditOf(peers, recorded(rig, "pulled.txt"));
  }

  @Test
  void aPulledFileRemovedWhileTheNodeWasDownIsRecordedAsRemoved() throws IOException {
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT);
    // The rename lasted through the crash (its temp file is not back), and the user removed the file.
    Files.delete(root.resolve("pulled.txt"));

    FileRecord recorded = recorded(restarted(), "pulled.txt");
    assertRemovalOf(peers, recorded);
    assertThat(recorded.modifiedBy()).isEqualTo(EngineRig.SELF);
  }

  @Test
  void aUsersWriteWhileTheNodeWasDownOverAPulledFileWhoseRenameLastedFollowsThePulledVersion() throws IOException {
    rig.io = Runnable::run;
    FileRecord older = pulled("pulled.txt", "the peer's older text");
    stage(older, CrashTrace.KEPT); // recorded: the pulled version replaces a file the index holds
    assertThat(rig.store.local(older.path())).isPresent();
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT, PEERS_TEXT, older);
    // The rename lasted through the crash (its temp file is not back); the user, seeing the
    // peer's text, saved over it while the node was down.
    Files.writeString(root.resolve("pulled.txt"), USERS_EDIT);

    FileRecord recorded = recorded(restarted(), "pulled.txt");
    assertUsersEditOf(peers, recorded);
  }

  @Test
  void aUsersWriteOverWhatACrashLeftWhereItUndidThePulledFileIsNotTakenToFollowIt() throws IOException {
    rig.io = Runnable::run;
    FileRecord older = pulled("pulled.txt", "the peer's older text");
    stage(older, CrashTrace.KEPT);
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT, PEERS_TEXT, older);
    crashUndoesTheRenameOf(peers); // the older text back would be there; the user saves over it
    Files.writeString(root.resolve("pulled.txt"), USERS_EDIT);

    FileRecord recorded = recorded(restarted(), "pulled.txt");
    assertThat(recorded.modifiedBy()).isEqualTo(EngineRig.SELF);
    assertThat(recorded.size()).isEqualTo(USERS_EDIT.length());
    assertThat(recorded.version().dominates(older.version())).as("an edit of what the user saw").isTrue();
    assertThat(recorded.version().dominates(peers.version())).as("not of the version the crash undid").isFalse();
  }

  @Test
  void aPulledFileRemovedAfterItsCommitFailedIsNotPulledAgainOverTheRemoval() throws IOException {
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT); // nothing recorded: the index still holds nothing there
    rig.disk.syncFailure = null;
    Files.delete(root.resolve("pulled.txt")); // the user removes it: disk and index agree, no scan reports it

    // Before the scan after the back-off, the peer's version is pulled again for the empty path.
    Path temp = root.resolve(FileAssembly.tempName(peers));
    Files.writeString(temp, PEERS_TEXT);
    Decision apply = new Reconciler(SyncOptions.defaults().resolver()).decide(java.util.Optional.empty(), peers);
    rig.engine.applier.applyPulled((Decision.Apply) apply, PEER,
        new Applier.PulledFile(temp, peers, PEERS_TEXT.length(), 0));
    rig.runReady();

    assertThat(root.resolve("pulled.txt")).as("the removal is not undone").doesNotExist();
    assertRemovalOf(peers, recorded(rig, "pulled.txt"));
  }

  @Test
  void aPulledFileWhoseRenameACrashUndidIsPutBackFromItsTempFile() throws IOException {
    FileRecord peers = pulledAfterAFailedCommit(CrashTrace.KEPT);
    Path temp = crashUndoesTheRenameOf(peers);

    EngineRig next = restarted();
    assertThat(temp).doesNotExist();
    assertThat(root.resolve("pulled.txt")).hasContent(PEERS_TEXT);
    assertThat(recorded(next, "pulled.txt").version()).as("the peer's version, recorded").isEqualTo(peers.version());
  }

  /** A merge kept for a failed commit is recorded as a merge, what it merged included, after a crash. */
  @Test
  void aPulledMergeWhoseRenameACrashUndidIsRecordedAsTheMerge() throws IOException {
    rig.io = Runnable::run;
    DeviceId other = DeviceId.fromName("other");
    VersionVector sides = VersionVector.empty().increment(PEER).increment(other);
    FileRecord merge = pulled("m.md", "merged text").withVersion(sides.increment(PEER)).asMergeOf(sides);
    rig.disk.syncFailure = deviceGone();
    stage(merge, CrashTrace.KEPT);
    crashUndoesTheRenameOf(merge);

    FileRecord recorded = recorded(restarted(), "m.md");
    assertThat(recorded.version()).isEqualTo(merge.version());
    assertThat(recorded.mergedFrom()).as("still a merge").isEqualTo(sides);
  }

  @Test
  void aUsersEditThatACrashTookBackToAPullsTempFileIsKeptAsAnEditOfThePulledVersion() throws IOException {
    assertEditKeptThroughACrashBeforeTheRetry(pulledAfterAFailedCommit(CrashTrace.KEPT));
  }

  @Test
  void aUsersEditOfAPulledFileWaitingOutTheBackOffIsKeptThroughACrashThatTookItBackToItsTempFile() throws IOException {
    rig.io = Runnable::run;
    rig.disk.syncFailure = deviceGone();
    stage(pulledFolder("made"), CrashTrace.FOLDER); // fails: commits back off
    FileRecord peers = pulled("pulled.txt", PEERS_TEXT);
    stage(peers, CrashTrace.KEPT); // renamed into place, waiting for the retry
    assertEditKeptThroughACrashBeforeTheRetry(peers);
  }

  @Test
  void aUsersEditOfAPulledFileStagedDuringAFlightThatFailsIsKeptThroughACrash() throws IOException {
    rig.disk.syncFailure = deviceGone();
    stage(pulledFolder("made"), CrashTrace.FOLDER); // its flight is held
    FileRecord peers = pulled("pulled.txt", PEERS_TEXT);
    stage(peers, CrashTrace.KEPT); // staged while that flight is under way
    heldIo.poll().run(); // the flight fails: the staged change waits out the back-off
    rig.runReady();
    assertEditKeptThroughACrashBeforeTheRetry(peers);
  }

  /** The user writes into {@code peers}'s file, the crash undoes its rename, and the node starts again. */
  private void assertEditKeptThroughACrashBeforeTheRetry(FileRecord peers) throws IOException {
    assertThat(rig.store.local(peers.path())).as("not recorded yet").isEmpty();
    Files.writeString(root.resolve("pulled.txt"), USERS_EDIT); // in place
    Path temp = crashUndoesTheRenameOf(peers); // the edit with it

    EngineRig next = restarted();
    assertThat(temp).doesNotExist();
    assertThat(root.resolve("pulled.txt")).hasContent(USERS_EDIT);
    assertUsersEditOf(peers, recorded(next, "pulled.txt"));
  }

  @Test
  void aPulledFolderRemovedWhileTheNodeWasDownIsRecordedAsRemovedOnceItWasSyncedItself() throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulledFolder("made");
    Path made = root.resolve("made");
    rig.disk.syncFailure = deviceGone();
    rig.disk.syncFailureOnly = root; // the folder's own sync succeeds, its parent's fails
    stage(peers, CrashTrace.FOLDER);
    assertThat(rig.disk.log()).as("synced itself, before its parent").containsExactly("fsync made");
    Files.delete(made); // the user removed it while the node was down

    assertRemovalOf(peers, recorded(restarted(), "made"));
  }

  @Test
  void aPulledFolderGoneAfterACrashIsNotTakenForARemovalIfItWasNeverSynced() throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulledFolder("made");
    Path made = root.resolve("made");
    rig.disk.syncFailure = deviceGone(); // its own sync fails too: a crash could lose it
    stage(peers, CrashTrace.FOLDER);
    Files.delete(made);

    assertThat(restarted().store.local(RelativePath.of("made"))).as("no removal recorded on a guess").isEmpty();
  }

  @Test
  void changesKeptInTheEarlierFormReadBackAsLeavingNoTrace() throws IOException {
    FileRecord peers = FileRecord.directory(RelativePath.of("made"), 1_000, VersionVector.empty().increment(PEER), PEER);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(1); // [count], then [base sequence][record] per entry
      out.writeLong(0);
      RecordBytes.write(out, peers);
    }
    rig.store.apply(new StoreBatch().putMetadata(UnrecordedChanges.META_KEY, bytes.toByteArray()));

    UnrecordedChanges read = new UnrecordedChanges(rig.engine.disk);
    read.load(rig.store);
    assertThat(read.takeVanished(rig.store::local, rig.engine.names::observe)).singleElement().satisfies(v -> {
      assertThat(v.meant()).isEqualTo(peers);
      assertThat(v.restored()).isTrue();
      assertThat(v.kept()).as("no trace to tell a removal by").isFalse();
    });

    // Kept in the form before merges were recorded: [-2][count], then [base sequence][kept][record].
    VersionVector sides = VersionVector.empty().increment(PEER);
    FileRecord merge = FileRecord.file(RelativePath.of("m.md"), 0, 1_000, false, List.of(), Sha256.EMPTY,
        sides.increment(PEER), PEER).asMergeOf(sides);
    bytes.reset();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(-2);
      out.writeInt(1);
      out.writeLong(0);
      out.writeBoolean(true);
      RecordBytes.write(out, merge);
    }
    rig.store.apply(new StoreBatch().putMetadata(UnrecordedChanges.META_KEY, bytes.toByteArray()));
    UnrecordedChanges before = new UnrecordedChanges(rig.engine.disk);
    before.load(rig.store);
    assertThat(before.takeVanished(rig.store::local, rig.engine.names::observe)).singleElement().satisfies(v -> {
      assertThat(v.meant()).as("read as no merge").isEqualTo(merge.asMergeOf(VersionVector.empty()));
      assertThat(v.kept()).isTrue();
    });
  }

  /**
   * Writes the peer's text at {@code pulled.txt} and stages it with every sync failing, I/O run
   * inline: its commit has failed, and commits back off. Returns the peer's record.
   */
  private FileRecord pulledAfterAFailedCommit(CrashTrace trace) throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulled("pulled.txt", PEERS_TEXT);
    rig.disk.syncFailure = deviceGone();
    stage(peers, trace);
    return peers;
  }

  /**
   * As {@link #pulledAfterAFailedCommit(CrashTrace)}, with {@code text} a later version of the
   * peer's than {@code replaced}, which it replaces.
   */
  private FileRecord pulledAfterAFailedCommit(CrashTrace trace, String text, FileRecord replaced) throws IOException {
    rig.io = Runnable::run;
    FileRecord peers = pulled("pulled.txt", text);
    peers = peers.withVersion(replaced.version().increment(PEER));
    rig.disk.syncFailure = deviceGone();
    stage(peers, trace);
    return peers;
  }

  /** Moves the file back to {@code peers}'s temp name, as a crash before the rename's folder sync does. */
  private Path crashUndoesTheRenameOf(FileRecord peers) throws IOException {
    Path temp = root.resolve(FileAssembly.tempName(peers));
    Files.move(root.resolve(peers.path().toString()), temp);
    return temp;
  }

  /** A new engine on the same folder and store, as the node starts again after a crash. */
  private EngineRig restarted() throws IOException {
    return new EngineRig(root, SyncOptions.defaults(), rig.store).started();
  }

  private static IOException deviceGone() {
    return new IOException("device gone");
  }

  private static FileRecord recorded(EngineRig on, String path) {
    return on.store.local(RelativePath.of(path)).orElseThrow().record();
  }

  /** {@code recorded} is this node's edit to {@link #USERS_EDIT} of what the peer wrote. */
  private static void assertUsersEditOf(FileRecord peers, FileRecord recorded) {
    assertThat(recorded.modifiedBy()).isEqualTo(EngineRig.SELF);
    assertThat(recorded.size()).isEqualTo(USERS_EDIT.length());
    assertThat(recorded.version().dominates(peers.version())).as("an edit that follows the peer's version").isTrue();
  }

  private static void assertRemovalOf(FileRecord peers, FileRecord recorded) {
    assertThat(recorded.deleted()).isTrue();
    assertThat(recorded.version().dominates(peers.version())).as("a removal of the peer's version").isTrue();
  }

  /** Writes {@code text} at {@code path}, as the applier renames a pulled file into place; returns the peer's record. */
  private FileRecord pulled(String path, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve(path), bytes);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, bytes.length, Sha256.of(bytes)));
    return FileRecord.file(RelativePath.of(path), bytes.length, 1_000, false, blocks,
        HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER), PEER);
  }

  /** Makes the folder {@code path}, as the applier makes a peer's folder; returns the peer's record. */
  private FileRecord pulledFolder(String path) throws IOException {
    Files.createDirectory(root.resolve(path));
    return FileRecord.directory(RelativePath.of(path), 1_000, VersionVector.empty().increment(PEER), PEER);
  }

  /** Stages {@code record}, on disk already, as the applier does, and lets its flight land. */
  private void stage(FileRecord record, CrashTrace trace) {
    rig.control.execute(() -> {
      try {
        Path file = rig.engine.disk.resolve(record.path());
        commits.stage(LocalEntry.of(record.withSequence(commits.nextSequence()),
            rig.engine.disk.observe(file).orElseThrow().stat()), file.getParent(), trace);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    rig.runReady();
  }

  private long fullScans() {
    return rig.events(SyncEvent.ScanFinished.class).stream().filter(SyncEvent.ScanFinished::full).count();
  }

  private static LocalEntry entry(String path, long sequence) {
    return LocalEntry.withoutStat(FileRecord.directory(RelativePath.of(path), 1_000,
        VersionVector.empty().increment(PEER), PEER).withSequence(sequence));
  }
}
