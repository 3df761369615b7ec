package dev.jsync.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one node, as one {@link SyncListener}: each event goes to every listener in
 * the order they were added. A listener without an executor is called on the calling thread (the
 * node's control thread); one with an executor gets its events there, one at a time and in
 * order, whatever the executor's threads, so a slow listener holds up only itself. A listener
 * that throws is logged and keeps receiving events.
 *
 * <p>Thread-safe once built.
 */
final class Listeners implements SyncListener {

  private static final Logger log = LoggerFactory.getLogger(SyncNode.class);

  private final List<SyncListener> all;

  private Listeners(List<SyncListener> all) {
    this.all = List.copyOf(all);
  }

  /** Collects listeners for a node being built. Not thread-safe. */
  static final class Builder {
    private final List<SyncListener> list = new ArrayList<>();

    void add(SyncListener l) {
      list.add(l);
    }

    void add(SyncListener l, Executor executor) {
      list.add(new OnExecutor(l, executor));
    }

    Listeners build() {
      return new Listeners(list);
    }
  }

  @Override
  public void onEvent(SyncEvent event) {
    for (SyncListener l : all) {
      call(l, event);
    }
  }

  private static void call(SyncListener l, SyncEvent event) {
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a sync listener threw on {}", event, e);
    }
  }

  /** Hands events to a listener on its executor, in order, one at a time. */
  private static final class OnExecutor implements SyncListener {
    private final SyncListener listener;
    private final Executor executor;
    private final Queue<SyncEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    OnExecutor(SyncListener listener, Executor executor) {
      this.listener = listener;
      this.executor = executor;
    }

    @Override
    public void onEvent(SyncEvent event) {
      queue.add(event);
      schedule();
    }

    private void schedule() {
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        try {
          executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.set(false);
          queue.clear(); // the executor was shut down: the application no longer listens
        }
      }
    }

    private void drain() {
      SyncEvent e;
      while ((e = queue.poll()) != null) {
        call(listener, e);
      }
      draining.set(false);
      schedule(); // an event added after the last poll and before the flag was cleared
    }
  }
}
