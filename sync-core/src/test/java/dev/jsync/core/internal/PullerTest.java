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
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Puller} on its own: a peer's records are put to it ({@code consider}), and {@code pump}
 * works the needs off over a recording link whose block requests the test answers. Seen: how
 * many pulls and block requests are out at once, which needs are dropped, and the order in which
 * deletes reach the disk.
 */
class PullerTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;
  private final RecordingLink link = new RecordingLink(PEER);
  private final Map<RelativePath, byte[]> contents = new HashMap<>();
  private long peerSequence;

  @Test
  void atMostTheFileLimitIsPulledAtOnceAndTheNextStartsWhenOneEnds() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults().withLimits(2, 8L << 20)).started();
    connect();
    for (int i = 0; i < 5; i++) {
      offer(remoteFile("f" + i, ("file " + i).getBytes(StandardCharsets.UTF_8)));
    }
    rig.engine.puller.pump();
    rig.runReady();
    assertThat(requestedPaths()).hasSize(2);
    assertThat(rig.engine.puller.needs().size()).isEqualTo(5);

    answer(link.blockRequests.size() - 2);
    assertThat(requestedPaths()).as("one ended, the next began").hasSize(3);
    RelativePath done = link.blockRequests.get(0).path();
    assertThat(Files.readString(root.resolve(done.toString()))).isEqualTo(new String(contents.get(done), StandardCharsets.UTF_8));
    assertThat(rig.engine.puller.needs().size()).isEqualTo(4);

    while (answerAll() > 0) {
      // each answer lets another pull start
    }
    assertThat(rig.engine.puller.needs().size()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(root.resolve("f" + i)).hasContent("file " + i);
    }
  }

  @Test
  void blockRequestsStayWithinTheByteBudgetExceptForAPullWithNoneOut() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults().withLimits(64, BlockInfo.SIZE)).started();
    connect();
    byte[] big = new byte[3 * BlockInfo.SIZE];
    Arrays.fill(big, (byte) 'x');
    for (int i = 0; i < big.length; i += BlockInfo.SIZE) {
      big[i] = (byte) i; // distinct blocks, so none can be copied from another
      big[i + 1] = (byte) (i >> 8);
      big[i + 2] = (byte) (i >> 16);
    }
    offer(remoteFile("big", big));
    rig.engine.puller.pump();
    rig.runReady();
    assertThat(link.blockRequests).as("one block of three: the budget holds one").hasSize(1);

    answer(0);
    assertThat(link.blockRequests).hasSize(2);
    answer(1);
    answer(2);
    assertThat(link.blockRequests).hasSize(3);
    assertThat(Files.readAllBytes(root.resolve("big"))).isEqualTo(big);
  }

  @Test
  void aNeedIsDroppedWhenNoPeerOffersItAnyMore() {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    rig.engine.peers.addKnown(PEER);
    offer(remoteFile("withdrawn", "soon gone".getBytes(StandardCharsets.UTF_8)));
    assertThat(rig.engine.puller.needs().size()).isEqualTo(1);

    rig.control.execute(() -> rig.engine.commits.write(new StoreBatch().clearRemote(PEER))); // the peer reset its index
    rig.runReady();
    connect();
    rig.engine.puller.pump();
    rig.runReady();

    assertThat(rig.engine.puller.needs().size()).isZero();
    assertThat(link.blockRequests).isEmpty();
    assertThat(root.resolve("withdrawn")).doesNotExist();
  }

  @Test
  void deletesWaitForPullsAndGoDeepestFirst() throws IOException {
    Files.createDirectories(root.resolve("old/inner"));
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    connect();
    offer(remoteFile("new.txt", "fresh".getBytes(StandardCharsets.UTF_8)));
    offer(deleted("old"));
    offer(deleted("old/inner"));
    rig.engine.puller.pump();
    rig.runReady();
    assertThat(root.resolve("old/inner")).as("not while a pull is under way").isDirectory();

    answerAll();
    assertThat(root.resolve("new.txt")).hasContent("fresh");
    // Without the clock moving: had the outer folder gone first, it would have failed (not
    // empty) and waited a quiet window before trying again.
    assertThat(root.resolve("old")).doesNotExist();
    long inner = rig.store.local(RelativePath.of("old/inner")).orElseThrow().record().sequence();
    long outer = rig.store.local(RelativePath.of("old")).orElseThrow().record().sequence();
    assertThat(inner).as("the inner folder's delete was recorded first").isLessThan(outer);
    assertThat(rig.events(dev.jsync.core.SyncEvent.Error.class)).isEmpty();
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  /**
   * A folder made here only to hold a download (no record of its own) still holds a file whose
   * peer's delete failed and waits out its back-off when the peer's removal of the folder comes
   * up. The file does not need the folder: its own delete is still to come. The folder's removal
   * waits for it, as any folder's removal waits for its contents, and then goes as the peer made
   * it. Taken for a folder the file needs, it would be recorded as a new version of this
   * device's, concurrent with the removal, and would beat it everywhere.
   */
  @Test
  void aFolderMadeForADownloadWaitsForThePeersDeleteOfWhatItHoldsAndIsRemoved() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    connect();
    RelativePath folder = RelativePath.of("notes");
    RelativePath file = RelativePath.of("notes/c.md");
    rig.engine.applier.madeForDownloads.makeFor(root.resolve("notes")); // as a pull of c.md did
    Files.writeString(root.resolve("notes/c.md"), "our edit, which the peer then deleted");
    rig.engine.requestScan(List.of(file));
    rig.runReady();
    FileRecord ours = rig.store.local(file).orElseThrow().record();
    assertThat(rig.store.local(folder)).as("made for the download: no record of its own").isEmpty();
    offer(ours.toTombstone(ours.version().increment(PEER, 2), PEER, 2_000_000_000L).withSequence(++peerSequence));
    FileRecord removal = FileRecord.directory(folder, 1_000_000_000L, VersionVector.empty().increment(PEER, 1), PEER)
        .toTombstone(VersionVector.empty().increment(PEER, 3), PEER, 3_000_000_000L).withSequence(++peerSequence);
    offer(removal);
    rig.disk.deleteFailureOnly = root.resolve("notes/c.md");
    rig.disk.deleteFailure = new java.nio.file.AccessDeniedException(root.resolve("notes/c.md").toString(), null,
        "Permission denied");

    rig.engine.puller.pump();
    rig.runReady();
    assertThat(root.resolve("notes/c.md")).as("its delete failed and backs off").exists();
    assertThat(rig.store.local(folder)).as("the folder was taken for one c.md needs").isEmpty();

    rig.disk.deleteFailure = null;
    rig.advance(SyncOptions.defaults().retryDelay().multipliedBy(2)); // within a scan interval: no tombstone sweep

    assertThat(root.resolve("notes")).doesNotExist();
    FileRecord now = rig.store.local(folder).orElseThrow().record();
    assertThat(now.deleted()).as("the peer's removal, not a folder of ours").isTrue();
    assertThat(now.version()).isEqualTo(removal.version());
    assertThat(rig.store.local(file).orElseThrow().record().deleted()).isTrue();
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  /**
   * A folder made here to hold a download, whose own version (the peer's) could not be applied
   * (a full disk), is removed by its user while still empty and unrecorded. When the folder's
   * version is tried again it is not made again: the user removed the folder they saw, the
   * version it stood for, and that removal is recorded as following it, for the peer to take.
   * Made again, it would come back on every device.
   */
  @Test
  void aFolderMadeForADownloadThatItsUserRemovedBeforeItWasRecordedIsRecordedAsRemoved() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    connect();
    RelativePath folder = RelativePath.of("notes");
    rig.engine.applier.madeForDownloads.makeFor(root.resolve("notes")); // as a pull of notes/c.md did
    Files.delete(root.resolve("notes")); // the user's rmdir
    rig.engine.requestScan(List.of(folder));
    rig.runReady();
    assertThat(rig.store.local(folder)).as("nothing there to record").isEmpty();
    FileRecord peers = FileRecord.directory(folder, 1_000_000_000L, VersionVector.empty().increment(PEER, 1), PEER)
        .withSequence(++peerSequence);
    offer(peers);

    rig.engine.puller.pump();
    rig.runReady();

    assertThat(root.resolve("notes")).as("made again").doesNotExist();
    FileRecord now = rig.store.local(folder).orElseThrow().record();
    assertThat(now.deleted()).isTrue();
    assertThat(now.version().dominates(peers.version())).as("follows the peer's version").isTrue();
    assertThat(now.version()).isNotEqualTo(peers.version());
    assertThat(rig.engine.applier.madeForDownloads.contains(folder)).isFalse();
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  /**
   * Two peers' versions of a path, each a change here, whose results are concurrent: the other
   * peer's delete, concurrent with the delete held here (adopted as their merged history, nothing
   * on disk changes), and the peer's later file, which follows the delete held here but not the
   * merged one. Whichever is taken first, the other is then decided against the new local record:
   * the file is an edit concurrent with the merged delete, and wins.
   */
  @Test
  void afterAnAdoptionThePeersOtherVersionsAreDecidedAgain() throws IOException {
    DeviceId other = aDeleteHereAnotherPeersConcurrentDeleteAndThePeersLaterFile();

    rig.engine.puller.pump();
    rig.runReady();
    answerAll();

    assertTheLaterFileWonOverTheMergedDelete(other);
  }

  /** The same, when the needs are decided again after the start-up scan (redecideNeeds). */
  @Test
  void afterAnAdoptionOnceTheFolderIsScannedThePeersOtherVersionsAreDecidedAgain() throws IOException {
    DeviceId other = aDeleteHereAnotherPeersConcurrentDeleteAndThePeersLaterFile();

    rig.control.execute(() -> rig.engine.puller.redecideNeeds());
    rig.runReady();
    rig.engine.puller.pump();
    rig.runReady();
    answerAll();

    assertTheLaterFileWonOverTheMergedDelete(other);
  }

  /**
   * Two peers' versions of a path held here, whose results are concurrent: the first peer's
   * delete of it, taken first (first in peer order), and the other peer's concurrent edit. Once
   * the delete has landed, the edit is decided again against the tombstone, beats it (an edit
   * beats a concurrent delete) and is pulled at once: nothing else may come to start it (a
   * quiet cluster sends nothing more), and a need left in line unpumped waits for the next full
   * scan while the devices differ.
   */
  @Test
  void aPeersEditConcurrentWithADeleteJustAppliedIsPulledWithoutAnythingElseHappening() throws IOException {
    DeviceId deleter = DeviceId.fromName("another peer");
    assertThat(deleter).as("the delete is the first choice").isLessThan(PEER);
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    connect();
    rig.engine.peers.addKnown(deleter);
    FileRecord first = remoteFile("x.md", "first".getBytes(StandardCharsets.UTF_8));
    offer(first);
    rig.engine.puller.pump();
    rig.runReady();
    answerAll();
    assertThat(root.resolve("x.md")).hasContent("first");

    offer(deleter, first.toTombstone(first.version().increment(deleter, 1), deleter, 2_000_000_000L).withSequence(1));
    FileRecord edit = remoteFile("x.md", "edited by the peer".getBytes(StandardCharsets.UTF_8));
    offer(FileRecord.file(edit.path(), edit.size(), 3_000_000_000L, false, edit.blocks(), edit.contentHash(),
        first.version().increment(PEER, 2), PEER).withSequence(++peerSequence));
    rig.engine.puller.pump();
    rig.runReady();
    assertThat(rig.store.local(RelativePath.of("x.md")).orElseThrow().record().deleted())
        .as("the delete was taken first").isTrue();

    answerAll(); // the edit's blocks, if its pull started; no scan, no index, no timer
    assertThat(root.resolve("x.md")).hasContent("edited by the peer");
    FileRecord here = rig.store.local(RelativePath.of("x.md")).orElseThrow().record();
    assertThat(here.deleted()).isFalse();
    assertThat(here.version().get(deleter)).as("it follows the delete it beat").isEqualTo(1);
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  /** x.md deleted here at PEER's second version; returns the other peer, the adoption's, first in peer order. */
  private DeviceId aDeleteHereAnotherPeersConcurrentDeleteAndThePeersLaterFile() {
    DeviceId other = DeviceId.fromName("another peer");
    assertThat(other).as("the adoption is the first choice").isLessThan(PEER);
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    connect();
    rig.engine.peers.addKnown(other);
    FileRecord first = remoteFile("x.md", "first".getBytes(StandardCharsets.UTF_8));
    FileRecord deletedHere = first.toTombstone(VersionVector.empty().increment(PEER, 2), PEER, 2_000_000_000L);
    rig.control.execute(() -> rig.engine.commits.write(new StoreBatch().putLocal(
        LocalEntry.withoutStat(deletedHere.withSequence(rig.engine.commits.nextSequence())))));
    rig.runReady();
    offer(other, first.toTombstone(VersionVector.empty().increment(PEER, 1).increment(other, 1), other, 1_500_000_000L)
        .withSequence(1));
    FileRecord later = remoteFile("x.md", "written after the delete".getBytes(StandardCharsets.UTF_8));
    offer(PEER, FileRecord.file(later.path(), later.size(), 3_000_000_000L, false, later.blocks(), later.contentHash(),
        VersionVector.empty().increment(PEER, 3), PEER).withSequence(++peerSequence));
    return other;
  }

  private void assertTheLaterFileWonOverTheMergedDelete(DeviceId other) {
    assertThat(root.resolve("x.md")).hasContent("written after the delete");
    FileRecord here = rig.store.local(RelativePath.of("x.md")).orElseThrow().record();
    assertThat(here.version().get(other)).as("the merged delete's history").isEqualTo(1);
    assertThat(here.version().get(PEER)).isEqualTo(3);
    assertThat(rig.engine.puller.needs().size()).isZero();
  }

  private void connect() {
    PeerSession s = new PeerSession(link, new Hello("peer", 9, 0, IndexPosition.NONE), 0);
    rig.engine.peers.connect(s, "peer");
  }

  /** Stores the peer's record and puts it to the puller, as a received index batch does. */
  private void offer(FileRecord r) {
    offer(PEER, r);
  }

  private void offer(DeviceId peer, FileRecord r) {
    rig.control.execute(() -> {
      rig.engine.commits.write(new StoreBatch().putRemote(peer, r));
      rig.engine.puller.consider(peer, r, null);
    });
    rig.runReady();
  }

  private FileRecord remoteFile(String path, byte[] data) {
    List<BlockInfo> blocks = new ArrayList<>();
    for (int off = 0; off < data.length; off += BlockInfo.SIZE) {
      int len = Math.min(BlockInfo.SIZE, data.length - off);
      blocks.add(new BlockInfo(off, len, Sha256.of(data, off, len)));
    }
    RelativePath p = RelativePath.of(path);
    contents.put(p, data);
    return FileRecord.file(p, data.length, 1_000_000_000L, false, blocks, HashedContent.contentHashOf(blocks),
        VersionVector.empty().increment(PEER, 1), PEER).withSequence(++peerSequence);
  }

  private FileRecord deleted(String path) {
    FileRecord local = rig.store.local(RelativePath.of(path)).orElseThrow().record();
    return local.toTombstone(local.version().increment(PEER, 1), PEER, 1_000).withSequence(++peerSequence);
  }

  private List<RelativePath> requestedPaths() {
    return link.blockRequests.stream().map(BlockRequest::path).distinct().toList();
  }

  /** Answers the {@code i}th block request with the block's bytes. */
  private void answer(int i) {
    BlockRequest r = link.blockRequests.get(i);
    byte[] data = contents.get(r.path());
    link.blockReplies.get(i).complete(BlockReply.data(Arrays.copyOfRange(data, (int) r.offset(), (int) r.offset() + r.length())));
    rig.runReady();
  }

  /** Answers every request not yet answered; returns how many. */
  private int answerAll() {
    int n = 0;
    for (int i = 0; i < link.blockReplies.size(); i++) {
      if (!link.blockReplies.get(i).isDone()) {
        answer(i);
        n++;
      }
    }
    return n;
  }
}
