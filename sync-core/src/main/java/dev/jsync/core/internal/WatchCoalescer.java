package dev.jsync.core.internal;

import dev.jsync.core.FolderWatcher;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Coalesces the watcher's events into scans. A save is a handful of events within a millisecond
 * or two, so at first only a short settle time of silence is awaited: a saved note goes out
 * within milliseconds. If the burst goes on longer than the quiet window (a large copy, a
 * build), the full quiet window of silence is awaited instead. Either way the wait never exceeds
 * the cap after the first event, so a file written continuously still syncs. Control thread.
 */
final class WatchCoalescer {

  /** Silence awaited after the first events of a burst before scanning. */
  static final long SETTLE_NANOS = 10_000_000L;

  private final Engine engine;
  private final Scheduler control;
  private final SyncOptions options;
  private final Path root;
  /** Fires when the burst has been quiet long enough; null when no burst is being awaited. */
  private Scheduler.Cancellable flushTimer;
  private long firstPendingNanos;
  private long lastEventNanos;

  WatchCoalescer(Engine engine, Scheduler control, SyncOptions options, Path root) {
    this.engine = engine;
    this.control = control;
    this.options = options;
    this.root = root;
  }

  /**
   * The listener handed to the folder watcher: its events hop onto the control thread, and it
   * is told to leave ignored folders unwatched. Any thread.
   */
  FolderWatcher.Listener listener() {
    return new FolderWatcher.Listener() {
      @Override
      public void changed(Path path) {
        engine.post(() -> onEvent(path));
      }

      @Override
      public void overflow() {
        engine.requestFullScan();
      }

      @Override
      public boolean skip(Path dir) {
        RelativePath rel = FolderPaths.relative(root, dir);
        return rel != null && engine.changes.ignores().isIgnoredWithAncestors(rel, true);
      }
    };
  }

  /** Whether a burst of events is still being awaited. */
  boolean waiting() {
    return flushTimer != null;
  }

  void cancel() {
    Engine.cancel(flushTimer);
  }

  /** The watcher reported a change at {@code absolute}. */
  void onEvent(Path absolute) {
    if (engine.closed()) {
      return;
    }
    while (absolute.getFileName() != null && !NfcNames.isNfc(absolute.getFileName().toString())
        && !engine.names.naming().normalises()) {
      // Not under its NFC name, so the NFC path would find nothing here: the scan of its folder
      // finds it and renames it (NfcNames).
      absolute = absolute.getParent();
      if (absolute == null || absolute.equals(root)) {
        engine.changes.requestFullScan();
        return;
      }
    }
    RelativePath rel = FolderPaths.relative(root, absolute);
    if (rel == null) {
      return;
    }
    LocalChanges changes = engine.changes;
    long now = engine.nowNanos();
    if (!changes.scanPending() && flushTimer == null) {
      firstPendingNanos = now;
    }
    changes.addPending(rel);
    lastEventNanos = now;
    // One timer for a whole burst, re-armed when it fires early, rather than one cancelled and
    // scheduled again per event: a sync writing thousands of files makes several events each.
    if (flushTimer == null) {
      armFlushTimer(now);
    }
  }

  /** When the paths the watcher reported may be scanned. */
  private long flushDeadline() {
    long waited = lastEventNanos - firstPendingNanos;
    long quiet = options.quietWindow().toNanos();
    long silence = waited < quiet ? Math.min(SETTLE_NANOS, quiet) : quiet;
    return Math.min(lastEventNanos + silence, firstPendingNanos + options.maxEventDelay().toNanos());
  }

  private void armFlushTimer(long now) {
    flushTimer = control.schedule(() -> {
      long t = engine.nowNanos();
      if (!engine.closed() && t < flushDeadline()) {
        armFlushTimer(t); // events came in since it was set: wait out the rest of the silence
        return;
      }
      flushTimer = null;
      engine.changes.startScanIfIdle();
    }, Duration.ofNanos(Math.max(0, flushDeadline() - now)));
  }
}
