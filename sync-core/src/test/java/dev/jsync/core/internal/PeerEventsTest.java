package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.FileRecord;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PeerEvents} through the engine's transport callbacks: where our index is sent from when
 * a peer connects, which link is a peer's current one, and when a peer may be forgotten.
 */
class PeerEventsTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;

  @BeforeEach
  void threeFiles() throws IOException {
    for (int i = 1; i <= 3; i++) {
      Files.writeString(root.resolve("f" + i), "content " + i);
    }
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    assertThat(rig.store.lastSequence()).isEqualTo(3);
  }

  private Hello hello(long epochSeen, long sequenceSeen) {
    return new Hello("peer", 77, 0, new IndexPosition(epochSeen, sequenceSeen));
  }

  private RecordingLink connect(Hello hello) {
    RecordingLink link = new RecordingLink(PEER);
    rig.engine.connected(link, hello);
    rig.runReady();
    return link;
  }

  private static long[] sequencesSent(RecordingLink link) {
    return link.sent.stream().flatMap(u -> u.records().stream()).mapToLong(FileRecord::sequence).toArray();
  }

  @Test
  void aPeerThatHasSeenPartOfOurIndexIsSentOnlyTheRest() {
    RecordingLink link = connect(hello(rig.engine.epoch(), 2));

    assertThat(sequencesSent(link)).containsExactly(3L);
    assertThat(rig.engine.peers.session(PEER)).isNotNull();
    assertThat(rig.events).anySatisfy(e -> assertThat(e).isEqualTo(new SyncEvent.PeerConnected(PEER, "peer")));
  }

  @Test
  void aPeerThatSawAnotherEpochOfOurIndexIsSentAllOfIt() {
    RecordingLink link = connect(hello(rig.engine.epoch() + 1, 2));

    assertThat(sequencesSent(link)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aPeerThatClaimsToHaveSeenMoreThanWeHoldIsSentNothingAndNotTrustedBeyondOurLast() {
    RecordingLink link = connect(hello(rig.engine.epoch(), 99));

    assertThat(link.sent).extracting(IndexUpdate::records).allSatisfy(r -> assertThat(r).isEmpty());
    assertThat(rig.engine.peers.session(PEER).sentUpTo).isEqualTo(3);
  }

  @Test
  void aNewerLinkReplacesTheOldOneWhoseLateCloseChangesNothing() {
    RecordingLink old = connect(hello(rig.engine.epoch(), 3));
    RecordingLink fresh = connect(hello(rig.engine.epoch(), 3));
    assertThat(old.closedFor).isEqualTo("replaced by a newer connection");

    rig.engine.disconnected(old, DisconnectReason.LOST, "closed");
    rig.runReady();
    assertThat(rig.engine.peers.current(fresh)).as("still connected through the newer link").isNotNull();
    assertThat(rig.events).noneMatch(e -> e instanceof SyncEvent.PeerDisconnected);

    rig.engine.disconnected(fresh, DisconnectReason.LOST, "reset");
    rig.runReady();
    assertThat(rig.engine.peers.session(PEER)).isNull();
    assertThat(rig.events).filteredOn(e -> e instanceof SyncEvent.PeerDisconnected).hasSize(1);
  }

  @Test
  void aPeerIsForgottenOnlyWhenKnownAndNotConnected() {
    CompletableFuture<Void> unknown = rig.engine.forget(PEER);
    rig.runReady();
    assertThat(unknown).failsWithin(java.time.Duration.ZERO).withThrowableThat()
        .havingCause().isInstanceOf(NoSuchElementException.class);

    RecordingLink link = connect(hello(rig.engine.epoch(), 3));
    CompletableFuture<Void> whileConnected = rig.engine.forget(PEER);
    rig.runReady();
    assertThat(whileConnected).failsWithin(java.time.Duration.ZERO).withThrowableThat()
        .havingCause().isInstanceOf(IllegalStateException.class);

    rig.engine.disconnected(link, DisconnectReason.LOST, "gone");
    rig.runReady();
    assertThat(rig.engine.peers.known()).contains(PEER);
    CompletableFuture<Void> forgotten = rig.engine.forget(PEER);
    rig.runReady();
    assertThat(forgotten).isCompleted().isNotCompletedExceptionally();
    assertThat(rig.engine.peers.known()).doesNotContain(PEER);
  }
}
