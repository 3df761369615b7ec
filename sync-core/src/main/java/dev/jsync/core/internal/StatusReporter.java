package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.NameProblem;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreException;
import dev.jsync.core.transport.ConnectionFailure;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's status and events: builds the {@link SyncStatus} snapshot, hands events to the
 * listener, derives the events that summarise the snapshot (progress, in sync or not), keeps the
 * addresses that could not be reached, and reports errors (a DEBUG line and an event with a
 * category). Builds and emits on the control thread; the snapshot is read on any thread.
 */
final class StatusReporter {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** Progress events are at least this far apart while files are needed. */
  private static final long PROGRESS_EVERY_NANOS = 500_000_000L;
  /**
   * Failed addresses kept for the status, at most: anyone can connect and fail, so the oldest
   * entry goes when a new address comes.
   */
  static final int MAX_UNREACHED = 32;

  private final DeviceId self;
  private final SyncListener listener;
  private final IndexStore store;
  private final LongSupplier nanos;
  private final Map<String, ConnectionFailure> unreached = new LinkedHashMap<>();
  private volatile SyncStatus status;
  private long filesDone;
  private long bytesDone;
  private long lastProgressNanos;
  private boolean progressing;
  private long reportedFilesDone;
  private boolean inSync;
  private long scanChanges;
  private long scanBytes;

  StatusReporter(DeviceId self, SyncListener listener, IndexStore store) {
    this(self, listener, store, System::nanoTime);
  }

  StatusReporter(DeviceId self, SyncListener listener, IndexStore store, LongSupplier nanos) {
    this.self = self;
    this.listener = listener;
    this.store = store;
    this.nanos = nanos;
    this.status = new SyncStatus(self, 0, 0, 0, List.of());
  }

  SyncStatus status() {
    return status;
  }

  /** Takes a new snapshot, and sends the progress and in-sync events it calls for. O(peers). */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers) {
    update(liveFiles, lastSequence, needs, peers, List.of(), 0, false);
  }

  /**
   * Takes a new snapshot, with the peers' paths this folder cannot hold and the merges counted.
   * O(peers + problems).
   */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers, List<NameProblem> nameProblems,
      long merged) {
    update(liveFiles, lastSequence, needs, peers, nameProblems, merged, false);
  }

  /**
   * Like {@link #update(long, long, Needs, Peers)}; {@code landing}: applied changes are not all
   * in the store yet, so their events are still to come and the round has not ended.
   */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers, boolean landing) {
    update(liveFiles, lastSequence, needs, peers, List.of(), 0, landing);
  }

  /**
   * Takes a new snapshot with the peers' paths this folder cannot hold and the merges counted;
   * {@code landing} as in {@link #update(long, long, Needs, Peers, boolean)}. O(peers + problems).
   */
  void update(long liveFiles, long lastSequence, Needs needs, Peers peers, List<NameProblem> nameProblems,
      long merged, boolean landing) {
    List<PeerStatus> list = new ArrayList<>();
    long bytesNeeded = 0;
    for (DeviceId p : peers.known()) {
      PeerSession s = peers.session(p);
      Needs.Totals wanted = needs.totals(p);
      long received = store.position(p).sequence();
      Optional<Peers.Problem> problem = peers.problem(p);
      list.add(new PeerStatus(p, peers.name(p), s != null, wanted.files(), wanted.bytes(),
          s != null ? s.peerSequence : received, received, problem.map(Peers.Problem::reason),
          problem.map(Peers.Problem::detail).orElse("")));
      bytesNeeded += wanted.bytes();
    }
    list.sort((a, b) -> a.peer().compareTo(b.peer()));
    SyncStatus now = new SyncStatus(self, liveFiles, lastSequence, needs.size(), list, nameProblems, merged,
        List.copyOf(unreached.values()));
    status = now;
    progress(now.filesNeeded(), bytesNeeded, landing);
    // Becoming in sync waits for the landing, like the end of a round: a listener hears of every
    // file applied before it hears that the node is in sync.
    if (now.inSync() != inSync && !(now.inSync() && landing)) {
      inSync = now.inSync();
      emit(new SyncEvent.InSyncChanged(inSync));
    }
  }

  /**
   * A round starts when something is needed and ends when nothing is and every applied change
   * has landed (its event sent); a change that lands after the end (or alone) ends another.
   */
  private void progress(long filesNeeded, long bytesNeeded, boolean landing) {
    long t = nanos.getAsLong();
    if (filesNeeded > 0) {
      if (!progressing || t - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
        progressing = true;
        lastProgressNanos = t;
        reportedFilesDone = filesDone;
        emit(new SyncEvent.Progress(filesDone, bytesDone, filesNeeded, bytesNeeded));
      }
    } else if (!landing && (progressing || filesDone != reportedFilesDone)) {
      progressing = false;
      reportedFilesDone = filesDone;
      emit(new SyncEvent.Progress(filesDone, bytesDone, 0, 0));
    }
  }

  /**
   * Notes a failed connection attempt to or from {@code failure.address()}; returns whether the
   * address's reason changed (and so deserves an event).
   */
  boolean unreached(ConnectionFailure failure) {
    ConnectionFailure old = unreached.remove(failure.address());
    unreached.put(failure.address(), failure);
    if (unreached.size() > MAX_UNREACHED) {
      Iterator<String> oldest = unreached.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return old == null || old.reason() != failure.reason();
  }

  /** A link came up with {@code peer}, dialed at {@code address} if present: its failures are over. */
  void reached(DeviceId peer, Optional<String> address) {
    address.ifPresent(unreached::remove);
    unreached.values().removeIf(f -> f.peer().filter(peer::equals).isPresent());
  }

  /** A chunk of a running scan's changes was recorded: says how far the scan is. */
  void scanProgress(boolean full, List<ScanItem> chunk) {
    scanChanges += chunk.size();
    for (ScanItem item : chunk) {
      scanBytes += item.content().map(HashedContent::size).orElse(0L);
    }
    emit(new SyncEvent.ScanProgress(full, scanChanges, scanBytes));
  }

  void emit(SyncEvent event) {
    if (event instanceof SyncEvent.ScanFinished) {
      scanChanges = 0;
      scanBytes = 0;
    }
    if (event instanceof SyncEvent.FileUpdated u) {
      filesDone++;
      bytesDone += u.bytesFetched() + u.bytesReused();
    } else if (event instanceof SyncEvent.FileDeleted) {
      filesDone++;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a sync listener threw on {}", event, e);
    }
  }

  void report(Optional<RelativePath> path, String message, Throwable cause) {
    report(path, category(cause), message, cause);
  }

  void report(Optional<RelativePath> path, SyncEvent.Error.Category category, String message, Throwable cause) {
    log.debug("{}{}", path.map(p -> p + ": ").orElse(""), message, cause);
    emit(new SyncEvent.Error(path, category, message, Optional.ofNullable(cause)));
  }

  /** What kind of failure {@code cause} is, from its type and (for a full disk, which has no type) its message. */
  static SyncEvent.Error.Category category(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk quota")
          || m.contains("disk full")) {
        return SyncEvent.Error.Category.DISK_FULL;
      }
      if (c instanceof AccessDeniedException || m.contains("permission denied") || m.contains("access is denied")) {
        return SyncEvent.Error.Category.PERMISSION;
      }
      if (c instanceof StoreException) {
        return SyncEvent.Error.Category.INDEX;
      }
    }
    return cause instanceof java.io.IOException || cause instanceof java.io.UncheckedIOException
        ? SyncEvent.Error.Category.FILE : SyncEvent.Error.Category.OTHER;
  }
}
