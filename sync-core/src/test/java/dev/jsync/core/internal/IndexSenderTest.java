package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.core.transport.RecordTooLargeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IndexSender} on its own: the local index (made by real scans of a real folder) goes
 * out to one recording link per peer, in batches from the peer's position; small files saved
 * while the peer is connected go along inline, within one push's byte budget.
 */
class IndexSenderTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;
  private final RecordingLink link = new RecordingLink(PEER);

  private PeerSession connect(long from) {
    PeerSession s = new PeerSession(link, new Hello("peer", 9, 0, IndexPosition.NONE), from);
    rig.engine.peers.connect(s, "peer");
    return s;
  }

  @Test
  void theIndexGoesOutInBatchesFromThePeersPositionEachContinuingTheLast() throws IOException {
    for (int i = 1; i <= 7; i++) {
      Files.writeString(root.resolve("f" + i), "content " + i);
    }
    rig = new EngineRig(root, SyncOptions.defaults().withIndexBatchRecords(2)).started();
    assertThat(rig.store.lastSequence()).isEqualTo(7);

    PeerSession s = connect(2);
    rig.engine.sender.push(s);
    rig.runReady();

    assertThat(link.sent).extracting(IndexUpdate::previousSequence).containsExactly(2L, 4L, 6L);
    assertThat(link.sent).extracting(IndexUpdate::lastSequence).containsExactly(4L, 6L, 7L);
    assertThat(link.sent.stream().flatMap(u -> u.records().stream()).map(FileRecord::sequence))
        .containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(link.sent).allSatisfy(u -> assertThat(u.indexEpoch()).isEqualTo(rig.engine.epoch()));
    assertThat(link.sent).as("files there before the peer came do not travel inline")
        .allSatisfy(u -> assertThat(u.inline()).isEmpty());
  }

  @Test
  void recordsThePeerItselfSentAreNotEchoedButThePositionStillMoves() throws IOException {
    Files.writeString(root.resolve("mine"), "mine");
    Files.writeString(root.resolve("theirs"), "theirs");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord theirs = rig.store.local(RelativePath.of("theirs")).orElseThrow().record();
    rig.control.execute(() -> rig.engine.commits.write(new StoreBatch().putRemote(PEER, theirs)));
    rig.runReady();

    connect(0);
    rig.engine.sender.pushAll();
    rig.runReady();
    assertThat(link.sent).singleElement().satisfies(u -> {
      assertThat(u.records()).extracting(r -> r.path().toString()).containsExactly("mine");
      assertThat(u.lastSequence()).isEqualTo(2);
    });
  }

  @Test
  void smallFilesSavedWhileThePeerIsConnectedGoInlineWithinTheBudget() throws IOException {
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    PeerSession s = connect(rig.store.lastSequence());
    rig.engine.sender.push(s); // nothing to send: the peer is caught up
    rig.runReady();
    assertThat(s.caughtUp).isTrue();

    byte[] full = new byte[IndexSender.INLINE_FILE_BYTES];
    int fitting = IndexSender.INLINE_BYTES_PER_PUSH / full.length;
    List<RelativePath> saved = IntStream.range(0, fitting + 2).mapToObj(i -> RelativePath.of("small" + i)).toList();
    for (int i = 0; i < saved.size(); i++) {
      Arrays.fill(full, (byte) i);
      Files.write(root.resolve(saved.get(i).toString()), full);
    }
    Files.write(root.resolve("large"), new byte[IndexSender.INLINE_FILE_BYTES + 1]);
    link.sent.clear();
    rig.engine.requestScan(concat(saved, RelativePath.of("large")));
    rig.runReady();

    assertThat(link.sent).isNotEmpty();
    IndexUpdate first = link.sent.get(0);
    assertThat(first.records()).hasSize(saved.size() + 1);
    assertThat(first.inline()).as("up to the budget of one push").hasSize(fitting);
    assertThat(first.inline().stream().mapToLong(b -> b.data().length).sum())
        .isLessThanOrEqualTo(IndexSender.INLINE_BYTES_PER_PUSH);
    FileRecord large = rig.store.local(RelativePath.of("large")).orElseThrow().record();
    assertThat(first.inline()).extracting(InlineBlock::hash).as("a file over the inline size never goes along")
        .doesNotContain(large.blocks().get(0).hash());
    for (InlineBlock b : first.inline()) {
      assertThat(b.data()).hasSize(IndexSender.INLINE_FILE_BYTES);
    }
  }

  @Test
  void aRecordTooLargeForAFrameIsReportedForItsPathAndTheRestOfTheIndexGoesOn() throws IOException {
    for (String name : List.of("a", "big", "c")) {
      Files.writeString(root.resolve(name), "content of " + name);
    }
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    RelativePath big = RelativePath.of("big");
    link.failWith = u -> u.records().stream().anyMatch(r -> r.path().equals(big))
        ? new RecordTooLargeException(big, "its index record needs 9999 bytes, more than a frame of 4096 bytes holds")
        : null;

    PeerSession s = connect(0);
    rig.engine.sender.push(s);
    rig.runReady();

    assertThat(link.failed).hasSize(1);
    assertThat(link.sent.stream().flatMap(u -> u.records().stream()).map(r -> r.path().toString()))
        .containsExactlyInAnyOrder("a", "c");
    assertThat(link.sent.get(link.sent.size() - 1).lastSequence()).isEqualTo(rig.store.lastSequence());
    assertThat(rig.events(SyncEvent.Error.class)).singleElement().satisfies(e -> {
      assertThat(e.path()).contains(big);
      assertThat(e.message()).contains("9999 bytes");
    });

    Files.writeString(root.resolve("later"), "later");
    rig.engine.requestScan(List.of(RelativePath.of("later")));
    rig.runReady();
    assertThat(link.sent.get(link.sent.size() - 1).records()).extracting(r -> r.path().toString())
        .containsExactly("later");
    assertThat(link.failed).as("the record that cannot fit is not tried again").hasSize(1);
  }

  @Test
  void aFailedSendIsReportedAndTriedAgainAfterABackOff() throws IOException {
    Files.writeString(root.resolve("a"), "a");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    int[] failures = {2};
    link.failWith = u -> failures[0]-- > 0 ? new IllegalStateException("the encoder broke") : null;

    PeerSession s = connect(0);
    rig.engine.sender.push(s);
    rig.runReady();
    assertThat(link.failed).hasSize(1);
    assertThat(link.sent).isEmpty();
    assertThat(rig.events(SyncEvent.Error.class)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("the encoder broke").contains("trying again in 1 s"));

    rig.engine.sender.pushAll(); // a push meanwhile waits for the retry
    rig.runReady();
    assertThat(link.failed).hasSize(1);

    rig.advance(IndexSender.RETRY_FIRST);
    assertThat(link.failed).hasSize(2);
    assertThat(rig.events(SyncEvent.Error.class)).last()
        .satisfies(e -> assertThat(e.message()).contains("trying again in 2 s"));
    rig.advance(IndexSender.RETRY_FIRST);
    assertThat(link.sent).isEmpty();
    rig.advance(IndexSender.RETRY_FIRST);
    assertThat(link.sent).singleElement().satisfies(u -> {
      assertThat(u.records()).extracting(r -> r.path().toString()).containsExactly("a");
      assertThat(u.previousSequence()).isZero();
    });
  }

  private static List<RelativePath> concat(List<RelativePath> list, RelativePath one) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(one)).toList();
  }
}
