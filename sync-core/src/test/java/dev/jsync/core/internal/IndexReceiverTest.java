package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IndexReceiver} on its own: batches of a peer's index go in through {@code receive};
 * what comes out is what the store holds of the peer (records and position) and the resume
 * requests on the link. The records are tombstones of paths this folder never had, so the rule
 * has nothing to do with them and only the receiving is seen.
 */
class IndexReceiverTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");
  private static final long EPOCH = 42;

  @TempDir Path root;
  private EngineRig rig;
  private RecordingLink link;
  private PeerSession session;

  @BeforeEach
  void start() {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    link = new RecordingLink(PEER);
    session = new PeerSession(link, new Hello("peer", EPOCH, 20, IndexPosition.NONE), 0);
    rig.engine.peers.connect(session, "peer");
    rig.store.applied.clear();
  }

  @Test
  void batchesThatContinueAreStoredWithTheirPosition() {
    receive(0, 3);
    receive(3, 5);
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 5));
    assertThat(rig.store.remote(PEER, path(5))).map(FileRecord::sequence).contains(5L);
    assertThat(rig.store.remote(PEER, path(1))).isPresent();
    assertThat(link.resumes).isEmpty();
    assertThat(link.closedFor).isNull();
  }

  @Test
  void aGapAsksThePeerToResumeFromWhatIsHeldAndStoresNothing() {
    receive(0, 3);
    rig.store.applied.clear();
    receive(6, 8); // 4..6 went missing
    assertThat(link.resumes).containsExactly(new RecordingLink.Resume(EPOCH, 3));
    assertThat(rig.store.applied).isEmpty();
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 3));

    receive(8, 10); // already on its way from the old position: the resumed stream covers it
    assertThat(link.resumes).as("not asked again for each batch in flight").hasSize(1);

    rig.advance(IndexReceiver.RESUME_RETRY);
    assertThat(link.resumes).as("asked again when the resumed stream did not come")
        .containsExactly(new RecordingLink.Resume(EPOCH, 3), new RecordingLink.Resume(EPOCH, 3));

    receive(3, 10); // the resumed stream
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 10));
    rig.advance(IndexReceiver.RESUME_RETRY.multipliedBy(3));
    assertThat(link.resumes).as("no more asking once it continued").hasSize(2);
  }

  /**
   * The peer's hello announced no more than we then held, and the batch carrying its next record
   * is lost while the link stays up: the batches after it are the only sign that records are
   * missing. If the resume request goes unanswered (it was lost, or, asked before the loss, the
   * peer had nothing to resend), asking again must still count them as missing, or this node
   * holds a stale copy of the peer's index, and calls itself in sync, until the next reconnect.
   */
  @Test
  void aGapBeyondWhatTheHelloAnnouncedIsAskedForAgain() {
    session = new PeerSession(link, new Hello("peer", EPOCH, 3, IndexPosition.NONE), 0);
    rig.engine.peers.connect(session, "peer");
    receive(0, 3);
    receive(4, 6); // 4 went missing
    assertThat(link.resumes).containsExactly(new RecordingLink.Resume(EPOCH, 3));

    rig.advance(IndexReceiver.RESUME_RETRY);
    assertThat(link.resumes).as("asked again: the peer has sent up to 6, we hold 3")
        .containsExactly(new RecordingLink.Resume(EPOCH, 3), new RecordingLink.Resume(EPOCH, 3));

    receive(3, 6); // the resumed stream
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 6));
    rig.advance(IndexReceiver.RESUME_RETRY.multipliedBy(3));
    assertThat(link.resumes).as("no more asking once it continued").hasSize(2);
  }

  @Test
  void anOverlappingBatchIsTrimmedToTheRecordsNotYetHeld() {
    receive(0, 5);
    rig.store.applied.clear();
    receive(3, 8); // 4 and 5 again, then 6..8
    List<Long> stored = rig.store.applied.stream().flatMap(b -> b.ops().stream())
        .filter(StoreBatch.PutRemote.class::isInstance).map(op -> ((StoreBatch.PutRemote) op).record().sequence())
        .toList();
    assertThat(stored).containsExactly(6L, 7L, 8L);
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 8));
    assertThat(link.resumes).isEmpty();
  }

  @Test
  void aRepeatedBatchWritesNothing() {
    receive(0, 5);
    rig.store.applied.clear();
    receive(0, 5);
    receive(2, 4);
    assertThat(rig.store.applied).isEmpty();
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 5));
  }

  @Test
  void aNewIndexFromItsStartReplacesWhatWasHeldOfTheOldOne() {
    receive(0, 5);
    rig.engine.receiver.receive(session, new IndexUpdate(EPOCH + 1, 0, 1, List.of(tombstone(7).withSequence(1))));
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH + 1, 1));
    assertThat(rig.store.remote(PEER, path(1))).as("the old index's records are gone").isEmpty();
    assertThat(rig.store.remote(PEER, path(7))).isPresent();
  }

  @Test
  void aNewIndexJoinedInTheMiddleIsAskedForFromItsStart() {
    receive(0, 5);
    rig.store.applied.clear();
    rig.engine.receiver.receive(session, new IndexUpdate(EPOCH + 1, 4, 6, List.of(tombstone(5), tombstone(6))));
    assertThat(link.resumes).containsExactly(new RecordingLink.Resume(EPOCH + 1, 0));
    assertThat(rig.store.applied).isEmpty();
    assertThat(rig.store.position(PEER)).isEqualTo(new IndexPosition(EPOCH, 5));
  }

  /** Receives the peer's records {@code after+1 .. last}. */
  private void receive(long after, long last) {
    List<FileRecord> records = LongStream.rangeClosed(after + 1, last).mapToObj(IndexReceiverTest::tombstone).toList();
    rig.engine.receiver.receive(session, new IndexUpdate(EPOCH, after, last, records));
    rig.runReady();
  }

  private static RelativePath path(long n) {
    return RelativePath.of("gone-" + n);
  }

  private static FileRecord tombstone(long sequence) {
    VersionVector v = VersionVector.empty().increment(PEER, sequence);
    return FileRecord.directory(path(sequence), 1_000, v, PEER).toTombstone(v.increment(PEER), PEER, 1_000)
        .withSequence(sequence);
  }
}
