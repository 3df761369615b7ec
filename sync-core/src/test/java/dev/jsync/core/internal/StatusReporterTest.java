package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.jsync.core.DeviceId;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Hello;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link StatusReporter} on its own: the status snapshot built from the
 * counters, the needs and the peers; events handed to the listener, which may throw.
 */
class StatusReporterTest {

  private static final DeviceId SELF = DeviceId.fromName("self");
  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final DeviceId NAS = DeviceId.fromName("nas");

  private final TinyStore store = new TinyStore();
  private final List<SyncEvent> events = new ArrayList<>();
  private final StatusReporter reporter = new StatusReporter(SELF, events::add, store);

  @Test
  void theSnapshotCountsWhatIsNeededFromEachPeerAndHowFarItsIndexWasRead() {
    Peers peers = new Peers();
    RecordingLink laptopLink = new RecordingLink(LAPTOP);
    peers.connect(new PeerSession(laptopLink, new Hello("laptop", 5, 30, IndexPosition.NONE), 0), "laptop");
    peers.addKnown(NAS); // known from the store, not connected
    store.apply(new StoreBatch().setPosition(LAPTOP, new IndexPosition(5, 12)).setPosition(NAS, new IndexPosition(8, 40)));
    Needs needs = new Needs();
    needs.put(RelativePath.of("a"), LAPTOP, 100, false, false, 0);
    needs.put(RelativePath.of("b"), LAPTOP, 50, false, false, 0);
    needs.put(RelativePath.of("c"), NAS, 7, false, false, 0);

    reporter.update(3, 99, needs, peers, java.util.List.of(), 2);
    SyncStatus s = reporter.status();

    assertThat(s.device()).isEqualTo(SELF);
    assertThat(s.localFiles()).isEqualTo(3);
    assertThat(s.localSequence()).isEqualTo(99);
    assertThat(s.filesNeeded()).isEqualTo(3);
    assertThat(s.filesMerged()).isEqualTo(2);
    assertThat(s.peers()).extracting(PeerStatus::peer).as("in device order").isSorted();
    PeerStatus laptop = s.peers().stream().filter(p -> p.peer().equals(LAPTOP)).findFirst().orElseThrow();
    assertThat(laptop).isEqualTo(new PeerStatus(LAPTOP, "laptop", true, 2, 150, 30, 12));
    PeerStatus nas = s.peers().stream().filter(p -> p.peer().equals(NAS)).findFirst().orElseThrow();
    assertThat(nas).isEqualTo(new PeerStatus(NAS, "", false, 1, 7, 40, 40));

    peers.disconnect(LAPTOP);
    reporter.update(3, 99, needs, peers, java.util.List.of(), 2);
    assertThat(reporter.status().peers()).filteredOn(p -> p.peer().equals(LAPTOP))
        .singleElement().satisfies(p -> assertThat(p.connected()).isFalse());
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheEvents() {
    StatusReporter throwing = new StatusReporter(SELF, e -> {
      throw new IllegalStateException("listener bug");
    }, store);
    assertThatCode(() -> throwing.emit(new SyncEvent.PeerConnected(LAPTOP, "laptop"))).doesNotThrowAnyException();
  }

  @Test
  void anErrorIsReportedAsAnEventWithItsPathAndCause() {
    IOException cause = new IOException("disk full");
    reporter.report(Optional.of(RelativePath.of("big.iso")), "cannot write", cause);
    assertThat(events).singleElement().isEqualTo(
        new SyncEvent.Error(Optional.of(RelativePath.of("big.iso")), "cannot write", Optional.of(cause)));
  }
}
