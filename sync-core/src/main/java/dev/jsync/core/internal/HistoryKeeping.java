package dev.jsync.core.internal;

import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncListener;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionKeeper;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's version history: what peers' changes replace or remove goes to the version store,
 * each version kept is announced as {@link SyncEvent.VersionKept}, and the store's retention
 * runs on an I/O thread at start and then every hour (besides after each version kept).
 */
public final class HistoryKeeping {

  private static final Logger log = LoggerFactory.getLogger(HistoryKeeping.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

  private final VersionStore store;
  private final NodeThreads threads;
  private volatile Scheduler.Cancellable sweepTimer;
  private volatile boolean stopped;

  private HistoryKeeping(VersionStore store, NodeThreads threads) {
    this.store = store;
    this.threads = threads;
  }

  /** Has {@code engine} keep what peers replace or remove in {@code store}, telling {@code listener}. */
  public static HistoryKeeping wire(Engine engine, VersionStore store, NodeThreads threads, SyncListener listener) {
    VersionKeeper keeper = (path, file, reason, by) -> {
      Optional<Version> kept = store.keep(path, file, reason, by);
      kept.ifPresent(v -> {
        try {
          listener.onEvent(new SyncEvent.VersionKept(v));
        } catch (RuntimeException e) {
          log.warn("a sync listener threw on {}", v, e);
        }
      });
      return kept;
    };
    engine.versionKeeper(keeper);
    return new HistoryKeeping(store, threads);
  }

  public VersionStore store() {
    return store;
  }

  /** Runs the retention on an I/O thread now, and again every hour until {@link #stop()}. */
  public void sweepNowAndHourly() {
    if (stopped) {
      return;
    }
    threads.io().execute(() -> {
      try {
        store.sweep();
      } catch (IOException | RuntimeException e) {
        log.warn("could not apply the version history's retention: {}", e.toString());
      }
    });
    sweepTimer = threads.control().schedule(this::sweepNowAndHourly, SWEEP_INTERVAL);
  }

  public void stop() {
    stopped = true;
    Scheduler.Cancellable t = sweepTimer;
    if (t != null) {
      t.cancel();
    }
  }
}
