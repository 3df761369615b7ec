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
  void anErrorIsReportedAsAnEventWithItsPathCategoryAndCause() {
    IOException cause = new IOException("No space left on device");
    reporter.report(Optional.of(RelativePath.of("big.iso")), "cannot write", cause);
    assertThat(events).singleElement().isEqualTo(new SyncEvent.Error(Optional.of(RelativePath.of("big.iso")),
        SyncEvent.Error.Category.DISK_FULL, "cannot write", Optional.of(cause)));
  }

  @Test
  void errorsAreSortedIntoCategoriesByTheirCause() {
    assertThat(StatusReporter.category(new java.nio.file.AccessDeniedException("/x/a.md")))
        .isEqualTo(SyncEvent.Error.Category.PERMISSION);
    assertThat(StatusReporter.category(new java.io.UncheckedIOException(new IOException("There is not enough space on the disk"))))
        .isEqualTo(SyncEvent.Error.Category.DISK_FULL);
    assertThat(StatusReporter.category(new dev.jsync.core.store.StoreException("write failed", null)))
        .isEqualTo(SyncEvent.Error.Category.INDEX);
    assertThat(StatusReporter.category(new IOException("Input/output error"))).isEqualTo(SyncEvent.Error.Category.FILE);
    assertThat(StatusReporter.category(null)).isEqualTo(SyncEvent.Error.Category.OTHER);
  }

  @Test
  void progressIsSentWhileFilesAreNeededAtMostTwiceASecondAndOnceMoreWhenDone() {
    long[] now = {0};
    StatusReporter timed = new StatusReporter(SELF, events::add, store, () -> now[0]);
    Peers peers = new Peers();
    peers.connect(new PeerSession(new RecordingLink(LAPTOP), new Hello("laptop", 5, 0, IndexPosition.NONE), 0), "laptop");
    Needs needs = new Needs();
    needs.put(RelativePath.of("a"), LAPTOP, 100, false, false, 0);
    needs.put(RelativePath.of("b"), LAPTOP, 50, false, false, 0);

    timed.update(0, 0, needs, peers);
    now[0] += 100_000_000L; // 0.1 s: too soon for another
    timed.emit(new SyncEvent.FileUpdated(RelativePath.of("a"), LAPTOP, 60, 40));
    needs.remove(RelativePath.of("a"));
    timed.update(1, 1, needs, peers);
    now[0] += 500_000_000L;
    timed.update(1, 1, needs, peers);
    needs.remove(RelativePath.of("b"));
    timed.emit(new SyncEvent.FileUpdated(RelativePath.of("b"), LAPTOP, 50, 0));
    timed.update(2, 2, needs, peers);
    timed.update(2, 2, needs, peers);

    assertThat(events).filteredOn(e -> e instanceof SyncEvent.Progress).containsExactly(
        new SyncEvent.Progress(0, 0, 2, 150),
        new SyncEvent.Progress(1, 100, 1, 50),
        new SyncEvent.Progress(2, 150, 0, 0));
  }

  @Test
  void inSyncIsSentWhenItChangesOnly() {
    Peers peers = new Peers();
    peers.connect(new PeerSession(new RecordingLink(LAPTOP), new Hello("laptop", 5, 0, IndexPosition.NONE), 0), "laptop");
    Needs needs = new Needs();
    reporter.update(0, 0, needs, peers);
    reporter.update(0, 0, needs, peers);
    needs.put(RelativePath.of("a"), LAPTOP, 100, false, false, 0);
    reporter.update(0, 0, needs, peers);
    assertThat(events).filteredOn(e -> e instanceof SyncEvent.InSyncChanged)
        .containsExactly(new SyncEvent.InSyncChanged(true), new SyncEvent.InSyncChanged(false));
  }

  @Test
  void inSyncWaitsForAppliedChangesToLandSoTheirEventsComeFirst() {
    Peers peers = new Peers();
    peers.connect(new PeerSession(new RecordingLink(LAPTOP), new Hello("laptop", 5, 0, IndexPosition.NONE), 0), "laptop");
    Needs needs = new Needs();
    reporter.update(0, 0, needs, peers, true); // nothing needed, but a file applied has not landed
    assertThat(events).noneMatch(e -> e instanceof SyncEvent.InSyncChanged);
    reporter.emit(new SyncEvent.FileUpdated(RelativePath.of("a"), LAPTOP, 10, 0));
    reporter.update(1, 1, needs, peers, false);
    assertThat(events).filteredOn(e -> e instanceof SyncEvent.FileUpdated || e instanceof SyncEvent.InSyncChanged)
        .containsExactly(new SyncEvent.FileUpdated(RelativePath.of("a"), LAPTOP, 10, 0),
            new SyncEvent.InSyncChanged(true));
  }

  @Test
  void aFailedAddressIsNewsWhenItsReasonChangesAndGoesOnceReached() {
    var refused = new dev.jsync.core.transport.ConnectionFailure(Optional.empty(), "desktop:7777",
        dev.jsync.core.DisconnectReason.REFUSED, "connection refused");
    assertThat(reporter.unreached(refused)).isTrue();
    assertThat(reporter.unreached(refused)).as("a retry that fails the same way").isFalse();
    assertThat(reporter.unreached(new dev.jsync.core.transport.ConnectionFailure(Optional.empty(), "desktop:7777",
        dev.jsync.core.DisconnectReason.AUTHENTICATION_FAILED, "another secret"))).isTrue();
    reporter.update(0, 0, new Needs(), new Peers());
    assertThat(reporter.status().unreached()).singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo(dev.jsync.core.DisconnectReason.AUTHENTICATION_FAILED));

    reporter.reached(LAPTOP, Optional.of("desktop:7777"));
    reporter.update(0, 0, new Needs(), new Peers());
    assertThat(reporter.status().unreached()).isEmpty();
  }

  @Test
  void strangersCannotGrowTheListOfFailedAddresses() {
    for (int i = 0; i < 1000; i++) {
      reporter.unreached(new dev.jsync.core.transport.ConnectionFailure(Optional.empty(), "10.0." + (i / 256) + "."
          + (i % 256), dev.jsync.core.DisconnectReason.AUTHENTICATION_FAILED, "another secret"));
    }
    reporter.update(0, 0, new Needs(), new Peers());
    assertThat(reporter.status().unreached()).hasSize(StatusReporter.MAX_UNREACHED);
  }
}
