package dev.jsync.cli.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a node's events into log lines a person can follow (peers coming and going, files
 * received and deleted, conflict copies with both names) and counts what was synced, for the
 * progress line. Errors are not repeated here: the engine logs them itself.
 *
 * <p>Called on the node's control thread; the counters may be read from any thread. Reads a
 * received path's attributes to say whether it is a file, a folder or a link.
 */
final class EventLog implements SyncListener {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final Path folder;
  private final Map<DeviceId, String> names = new ConcurrentHashMap<>();
  private final AtomicLong filesDone = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong fullScans = new AtomicLong();
  private boolean scannedOnce;

  EventLog(Path folder) {
    this.folder = folder;
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

  @Override
  public void onEvent(SyncEvent event) {
    // Java 17: no pattern matching in switch yet.
    if (event instanceof SyncEvent.ScanFinished s) {
      scanned(s);
    } else if (event instanceof SyncEvent.FileUpdated u) {
      received(u);
    } else if (event instanceof SyncEvent.FileDeleted d) {
      filesDone.incrementAndGet();
      log.info("deleted {} (deleted on {})", d.path(), name(d.from()));
    } else if (event instanceof SyncEvent.ConflictCopyCreated c) {
      log.warn("conflict on {}: took {}'s version; this device's version is kept as {}", c.original(),
          name(c.winner()), c.copy());
    } else if (event instanceof SyncEvent.PeerConnected c) {
      names.put(c.peer(), c.name());
      log.debug("connected to {} ({})", c.name(), c.peer().shortId()); // the engine says so at INFO
    } else if (event instanceof SyncEvent.PeerDisconnected d) {
      if (d.reason().startsWith("DUPLICATE_CONNECTION")) {
        // Both sides dialed at once and one link gave way to the other: nothing was lost.
        log.debug("link to {} replaced: {}", name(d.peer()), d.reason());
      } else {
        log.info("disconnected from {}: {}", name(d.peer()), d.reason());
      }
    } else if (event instanceof SyncEvent.Error e) {
      log.debug("engine error reported: {}", e.message());
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
    if (!log.isInfoEnabled()) {
      return; // --quiet: no line, so no look at the file either
    }
    BasicFileAttributes attrs = attributes(u.path());
    if (attrs != null && attrs.isDirectory()) {
      log.info("received folder {}/ from {}", u.path(), name(u.from()));
    } else if (attrs != null && attrs.isSymbolicLink()) {
      log.info("received link {} from {}", u.path(), name(u.from()));
    } else if (u.bytesFetched() + u.bytesReused() == 0 && attrs != null && attrs.size() > 0) {
      log.info("updated {} from {} (same content, new time or permissions)", u.path(), name(u.from()));
    } else {
      long size = attrs != null ? attrs.size() : u.bytesFetched() + u.bytesReused();
      log.info("received {} ({}{}) from {}", u.path(), Units.bytes(size),
          u.bytesReused() > 0 ? ", " + Units.bytes(u.bytesFetched()) + " transferred" : "", name(u.from()));
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

  private String name(DeviceId peer) {
    String n = names.get(peer);
    return n == null || n.isEmpty() ? peer.shortId() : n;
  }
}
