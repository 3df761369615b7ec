package dev.jsync.cli.internal;

import dev.jsync.core.ConflictCopies;
import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a node's events into the log lines a person reads: one INFO line per meaningful event,
 * the detail at DEBUG. A peer's connection is news when its state changes (connected,
 * disconnected, cannot connect and why), never at each retry; files received and deleted are
 * summed up per peer when a round of syncing ends ({@code received 800 files (62 MiB) from alpha
 * in 2 s}), each file at DEBUG; a conflict is one WARN line on each side saying which version is
 * where; a merge of concurrent edits of a note is one INFO line naming the devices whose edits
 * it holds ({@code merged notes/x.md: edits from laptop and desktop}); an error is one WARN line, repeated failures of the same path at DEBUG. The libraries
 * log only DEBUG detail for developers, so these lines are all a user sees. No Java class names.
 *
 * <p>Counts what was synced, for the progress line. Called on the node's control thread; the
 * counters may be read from any thread. Reads a received path's attributes to tell a file from
 * a folder or a link.
 */
final class EventLog implements SyncListener {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  /** Paths whose last error is remembered, to say each error once; the oldest is forgotten first. */
  private static final int MAX_REMEMBERED_ERRORS = 1000;

  /** What came from one peer in the current round. */
  private static final class Batch {
    long startNanos;
    long files;
    long bytes;
    long transferred;
    long reused;
    RelativePath onlyFile;
    long onlyFileSize;
    long deletes;
    RelativePath onlyDelete;
    long touched;
    RelativePath onlyTouched;
  }

  private final Path folder;
  private final LongSupplier nanos;
  private final Map<DeviceId, String> names = new ConcurrentHashMap<>();
  private final AtomicLong filesDone = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong fullScans = new AtomicLong();
  // Control-thread state.
  private final Map<DeviceId, Batch> batches = new LinkedHashMap<>();
  private final Set<DeviceId> connected = new HashSet<>();
  private final Map<String, String> errors = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_REMEMBERED_ERRORS;
    }
  };
  private boolean scannedOnce;
  /** The running scan's progress text and when that scan started reporting; null when none runs. */
  private volatile String scanText;
  private volatile long scanStartNanos;

  EventLog(Path folder) {
    this(folder, Map.of(), System::nanoTime);
  }

  /**
   * @param knownNames devices' names by full device id: this device's own, and the peers' from
   *     the last run, for peers not yet connected
   */
  EventLog(Path folder, Map<String, String> knownNames, LongSupplier nanos) {
    this.folder = folder;
    this.nanos = nanos;
    knownNames.forEach((id, name) -> {
      try {
        names.put(DeviceId.parse(id), name);
      } catch (IllegalArgumentException e) {
        // a damaged status file: the short id will do
      }
    });
  }

  long filesDone() {
    return filesDone.get();
  }

  long bytesDone() {
    return bytesDone.get();
  }

  /** Full scans finished so far (the start-up scan and the periodic ones). */
  long fullScans() {
    return fullScans.get();
  }

  /**
   * The progress line of a scan that has been running for at least {@code showAfter}: a first
   * scan of a large folder hashes every file and may take minutes. Any thread.
   */
  Optional<String> scanLine(long nowNanos, Duration showAfter) {
    String text = scanText;
    return text != null && nowNanos - scanStartNanos >= showAfter.toNanos() ? Optional.of(text) : Optional.empty();
  }

  @Override
  public void onEvent(SyncEvent event) {
    // Java 17: no pattern matching in switch yet.
    if (event instanceof SyncEvent.ScanProgress p) {
      if (scanText == null) {
        scanStartNanos = nanos.getAsLong();
      }
      scanText = String.format(java.util.Locale.ROOT, "scanning: %,d %s, %s read", p.changes(),
          p.changes() == 1 ? "change" : "changes", Units.bytes(p.bytesHashed()));
      log.debug("{}", scanText);
    } else if (event instanceof SyncEvent.ScanFinished s) {
      scanText = null;
      scanned(s);
    } else if (event instanceof SyncEvent.FileUpdated u) {
      received(u);
    } else if (event instanceof SyncEvent.FileDeleted d) {
      filesDone.incrementAndGet();
      log.debug("deleted {} (deleted on {})", d.path(), name(d.from()));
      Batch b = batch(d.from());
      b.deletes++;
      b.onlyDelete = b.deletes == 1 ? d.path() : null;
    } else if (event instanceof SyncEvent.ConflictCopyCreated c) {
      log.warn("conflict on {}: {}'s version is now at {}; this device's version was moved to {}", c.original(),
          name(c.winner()), c.original(), c.copy());
    } else if (event instanceof SyncEvent.FileMerged m) {
      // Concurrent edits of a note merged into one version: the note holds both, no copy.
      log.info("merged {}: edits from {} and {}", m.path(), name(m.ours()), name(m.theirs()));
    } else if (event instanceof SyncEvent.PeerConnected c) {
      names.put(c.peer(), c.name());
      if (connected.add(c.peer())) {
        log.info("connected to {} ({})", c.name(), c.peer().shortId());
      } else {
        log.debug("link to {} replaced by a new one", c.name());
      }
    } else if (event instanceof SyncEvent.PeerDisconnected d) {
      disconnected(d);
    } else if (event instanceof SyncEvent.PeerUnreachable u) {
      unreachable(u);
    } else if (event instanceof SyncEvent.Progress p) {
      if (p.filesNeeded() == 0) {
        flush();
      }
    } else if (event instanceof SyncEvent.Error e) {
      error(e);
    } else if (event instanceof SyncEvent.NotMerged n) {
      log.info("{}: concurrent edits not merged ({}); one version is kept as a conflict copy", n.path(), words(n));
    } else if (event instanceof SyncEvent.NameNormalized n) {
      log.info("renamed {} on disk to the composed Unicode form (NFC) of its name, under which every device syncs it;"
          + " it looks the same", n.path());
    } else if (event instanceof SyncEvent.NameRefused r) {
      log.warn("{}", r.problem().line());
    } else if (event instanceof SyncEvent.NameNotPortable n) {
      log.warn("{}: Windows peers cannot hold this name ({}); they will report it and leave it out", n.path(),
          n.reason());
    } else if (event instanceof SyncEvent.RecordedAgain r) {
      log.info("{}: recorded in the index after all (writing it there had failed)", r.path());
    }
  }

  private void scanned(SyncEvent.ScanFinished s) {
    if (s.full()) {
      fullScans.incrementAndGet();
    }
    if (s.full() && !scannedOnce) {
      scannedOnce = true;
      log.info("scanned {} in {} ms: {}", folder, s.took().toMillis(),
          s.changes() == 0 ? "no changes since the last run" : Units.count(s.changes(), "change", "changes") + " recorded");
    } else {
      log.debug("{} scan in {} ms: {} changes", s.full() ? "full" : "partial", s.took().toMillis(), s.changes());
    }
  }

  private void received(SyncEvent.FileUpdated u) {
    filesDone.incrementAndGet();
    bytesDone.addAndGet(u.bytesFetched() + u.bytesReused());
    if (ConflictCopies.isConflictCopy(u.path())) {
      // This device's version won the conflict; the peer's losing version arrives as a copy.
      log.warn("conflict on {}: this device's version stays at {}; {}'s version is kept as {}", original(u.path()),
          original(u.path()), name(u.from()), u.path());
      return;
    }
    BasicFileAttributes attrs = log.isInfoEnabled() ? attributes(u.path()) : null;
    long size = attrs != null && attrs.isRegularFile() ? attrs.size() : u.bytesFetched() + u.bytesReused();
    Batch b = batch(u.from());
    if (u.bytesFetched() + u.bytesReused() == 0 && attrs != null && attrs.isRegularFile() && size > 0) {
      // The content was here already: only the time or the permissions changed.
      log.debug("updated {} from {} (same content, new time or permissions)", u.path(), name(u.from()));
      b.touched++;
      b.onlyTouched = b.touched == 1 ? u.path() : null;
      return;
    }
    if (log.isDebugEnabled()) {
      String what = attrs != null && attrs.isDirectory() ? "folder " + u.path() + "/"
          : attrs != null && attrs.isSymbolicLink() ? "link " + u.path()
          : u.path() + " (" + Units.bytes(size) + (u.bytesReused() > 0 ? ", " + Units.bytes(u.bytesFetched())
              + " transferred" : "") + ")";
      log.debug("received {} from {}", what, name(u.from()));
    }
    b.files++;
    b.bytes += size;
    b.transferred += u.bytesFetched();
    b.reused += u.bytesReused();
    b.onlyFile = b.files == 1 ? u.path() : null;
    b.onlyFileSize = size;
  }

  private Batch batch(DeviceId peer) {
    return batches.computeIfAbsent(peer, p -> {
      Batch b = new Batch();
      b.startNanos = nanos.getAsLong();
      return b;
    });
  }

  /** Logs one summary per peer of what came in since the last one. */
  void flush() {
    long now = nanos.getAsLong();
    for (Map.Entry<DeviceId, Batch> e : batches.entrySet()) {
      Batch b = e.getValue();
      String peer = name(e.getKey());
      String took = Units.duration(Duration.ofNanos(now - b.startNanos));
      if (b.files == 1 && b.onlyFile != null) {
        log.info("received {} ({}{}) from {}", b.onlyFile, Units.bytes(b.onlyFileSize),
            b.reused > 0 ? ", " + Units.bytes(b.transferred) + " transferred" : "", peer);
      } else if (b.files > 1) {
        log.info("received {} ({}{}) from {} in {}", Units.count(b.files, "file", "files"), Units.bytes(b.bytes),
            b.reused > 0 ? ", " + Units.bytes(b.transferred) + " transferred" : "", peer, took);
      }
      if (b.touched == 1 && b.onlyTouched != null) {
        log.info("updated {} from {} (same content, new time or permissions)", b.onlyTouched, peer);
      } else if (b.touched > 1) {
        log.info("updated the time or permissions of {} from {} (same content)", Units.count(b.touched, "file", "files"),
            peer);
      }
      if (b.deletes == 1 && b.onlyDelete != null) {
        log.info("deleted {} (deleted on {})", b.onlyDelete, peer);
      } else if (b.deletes > 1) {
        log.info("deleted {} (deleted on {})", Units.count(b.deletes, "path", "paths"), peer);
      }
    }
    batches.clear();
  }

  private void disconnected(SyncEvent.PeerDisconnected d) {
    if (d.reason() == DisconnectReason.REPLACED) {
      // Both sides dialed at once and one link gave way to the other: nothing was lost.
      log.debug("link to {} replaced: {}", name(d.peer()), d.detail());
      return;
    }
    flush();
    if (connected.remove(d.peer())) {
      log.info("disconnected from {}: {}", name(d.peer()), words(d.reason(), d.detail()));
    } else {
      log.debug("disconnected from {}: {}", name(d.peer()), d.detail());
    }
  }

  private void unreachable(SyncEvent.PeerUnreachable u) {
    String who = u.peer().map(p -> u.address() + " (" + name(p) + ")").orElse(u.address());
    switch (u.reason()) {
      case AUTHENTICATION_FAILED -> log.warn("authentication failed with {}: {}", who, words(u.reason(), u.detail()));
      case OTHER_VERSION, PROTOCOL_ERROR -> log.warn("cannot sync with {}: {}", who, words(u.reason(), u.detail()));
      default -> log.info("cannot connect to {}: {}", who, words(u.reason(), u.detail()));
    }
  }

  /** A reason in words a user can act on, with the transport's details. */
  static String words(DisconnectReason reason, String detail) {
    return switch (reason) {
      case REFUSED -> "nothing listens there (connection refused): is jsync running there, on that port?"
          + " Retrying with a growing delay";
      case UNREACHABLE -> "no answer (" + detail + "): the device is off, asleep or out of reach."
          + " Retrying with a growing delay";
      case AUTHENTICATION_FAILED -> "it was given another secret, or someone is in the middle (" + detail + ")";
      case OTHER_VERSION -> "it runs another version of jSync (" + detail + ")";
      case PROTOCOL_ERROR -> "it broke the protocol (" + detail + ")";
      case CLOSED -> "it closed the connection (" + detail + ")";
      case LOST -> "connection lost (" + detail + ")";
      case REPLACED -> "replaced by another connection";
    };
  }

  private static String words(SyncEvent.NotMerged n) {
    return switch (n.reason()) {
      case NO_COMMON_VERSION -> "the version both edits started from is not kept on this device";
      case OVERLAPPING_EDITS -> "they change the same lines";
      case FAILED -> n.detail();
    };
  }

  private void error(SyncEvent.Error e) {
    String where = e.path().map(p -> p + ": ").orElse("");
    String key = e.path().map(RelativePath::toString).orElse("") + "\n" + e.category();
    String text = where + e.message();
    if (text.equals(errors.put(key, text))) {
      log.debug("{} (again)", text);
    } else {
      log.warn("{}", text);
    }
  }

  private BasicFileAttributes attributes(RelativePath path) {
    try {
      return Files.readAttributes(folder.resolve(path.toString()), BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null; // changed again since: the event is still worth a line
    }
  }

  private static String original(RelativePath copy) {
    String s = copy.toString();
    int marker = s.lastIndexOf(ConflictCopies.MARKER);
    return marker > 0 ? s.substring(0, marker) : s;
  }

  private String name(DeviceId peer) {
    String n = names.get(peer);
    return n == null || n.isEmpty() ? peer.shortId() : n;
  }
}
