package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.NameProblem;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.store.IndexStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's status and events: builds the {@link SyncStatus} snapshot, hands events to the
 * listener, and reports errors (log and event). Builds and emits on the control thread; the
 * snapshot is read on any thread.
 */
final class StatusReporter {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final DeviceId self;
  private final SyncListener listener;
  private final IndexStore store;
  private volatile SyncStatus status;

  StatusReporter(DeviceId self, SyncListener listener, IndexStore store) {
    this.self = self;
    this.listener = listener;
    this.store = store;
    this.status = new SyncStatus(self, 0, 0, 0, List.of());
  }

  SyncStatus status() {
    return status;
  }

  /** Takes a new snapshot. O(peers). */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers) {
    update(liveFiles, lastSequence, needs, peers, List.of(), 0);
  }

  /**
   * Takes a new snapshot, with the peers' paths this folder cannot hold and the merges counted.
   * O(peers + problems).
   */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers, List<NameProblem> nameProblems,
      long merged) {
    List<PeerStatus> list = new ArrayList<>();
    for (DeviceId p : peers.known()) {
      PeerSession s = peers.session(p);
      Needs.Totals wanted = needs.totals(p);
      long received = store.position(p).sequence();
      list.add(new PeerStatus(p, peers.name(p), s != null, wanted.files(), wanted.bytes(),
          s != null ? s.peerSequence : received, received));
    }
    list.sort((a, b) -> a.peer().compareTo(b.peer()));
    status = new SyncStatus(self, liveFiles, lastSequence, needs.size(), list, nameProblems, merged);
  }

  void emit(SyncEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a sync listener threw on {}", event, e);
    }
  }

  void report(Optional<RelativePath> path, String message, Throwable cause) {
    log.warn("{}{}", path.map(p -> p + ": ").orElse(""), message);
    emit(new SyncEvent.Error(path, message, Optional.ofNullable(cause)));
  }
}
