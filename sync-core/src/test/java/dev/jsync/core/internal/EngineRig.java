package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * An {@link Engine} built from small real parts so that its collaborators can be driven one at
 * a time through their own methods: a real folder, the {@link TinyStore}, a transport that
 * never connects, and a control scheduler and clock that move only when the test says so. I/O
 * work runs inline on the calling thread; what it posts back waits in the control queue until
 * {@link #runReady} or {@link #advance}. The engine is never connected to a peer.
 */
final class EngineRig {

  static final DeviceId SELF = DeviceId.fromName("rig-self");

  final Path root;
  final RecordingDisk disk;
  final TinyStore store;
  final ManualScheduler control = new ManualScheduler();
  final List<SyncEvent> events = new ArrayList<>();
  final Engine engine;
  /** Replaced by a test to make I/O work fail or be held back; inline by default. */
  Executor io = Runnable::run;

  EngineRig(Path root, SyncOptions options) {
    this(root, options, new RecordingDisk());
  }

  EngineRig(Path root, SyncOptions options, RecordingDisk disk) {
    this(root, options, disk, new TinyStore());
  }

  /** An engine over {@code store} as an earlier rig left it: a restart of that one. */
  EngineRig(Path root, SyncOptions options, TinyStore store) {
    this(root, options, new RecordingDisk(), store);
  }

  private EngineRig(Path root, SyncOptions options, RecordingDisk disk, TinyStore store) {
    this.root = root;
    this.disk = disk;
    this.store = store;
    Transport silent = new Transport() {
      @Override
      public dev.jsync.core.DeviceId deviceId() {
        return SELF;
      }

      @Override
      public void start(TransportHandler handler) {}

      @Override
      public void close() {}
    };
    this.engine = new Engine(SELF, new DiskView(disk, root), store, silent, control, task -> io.execute(task),
        control.clock, options.withWatch(false), events::add, null, new SplittableRandom(7));
  }

  /** Starts the engine and lets its start-up scan finish. */
  EngineRig started() {
    engine.start();
    runReady();
    return this;
  }

  /** Runs every task due now, including those they post, until none is left. */
  void runReady() {
    control.runDue();
  }

  /** Moves the clock on by {@code d}, running each timer when its time comes. */
  void advance(Duration d) {
    control.advanceBy(d.toNanos());
  }

  <T extends SyncEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A scheduler over virtual time: tasks run only when the test asks. */
  static final class ManualScheduler implements Scheduler {

    private record Timed(long due, long order, Runnable task, boolean[] cancelled) {}

    private long nowNanos = 1_700_000_000_000_000_000L;
    private long order;
    /** Thread-safe: a test may hand the engine's I/O to a real thread, which posts here. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Runnable> ready = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final PriorityQueue<Timed> timers =
        new PriorityQueue<>(Comparator.comparingLong(Timed::due).thenComparingLong(Timed::order));

    final Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(0, nowNanos);
      }
    };

    @Override
    public void execute(Runnable task) {
      ready.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      boolean[] cancelled = {false};
      timers.add(new Timed(nowNanos + Math.max(0, delay.toNanos()), order++, task, cancelled));
      return () -> cancelled[0] = true;
    }

    /** Timers not yet fired nor cancelled. */
    int pendingTimers() {
      return (int) timers.stream().filter(t -> !t.cancelled()[0]).count();
    }

    /** Runs the oldest ready task, if any; false if none was ready. */
    boolean runOne() {
      Runnable r = ready.poll();
      if (r == null) {
        return false;
      }
      r.run();
      return true;
    }

    void runDue() {
      while (true) {
        Runnable r = ready.poll();
        if (r != null) {
          r.run();
          continue;
        }
        Timed t = timers.peek();
        if (t != null && t.due() <= nowNanos) {
          timers.poll();
          if (!t.cancelled()[0]) {
            t.task().run();
          }
          continue;
        }
        return;
      }
    }

    void advanceBy(long nanos) {
      long end = nowNanos + nanos;
      runDue();
      while (true) {
        Timed t = timers.peek();
        if (t == null || t.due() > end) {
          break;
        }
        nowNanos = Math.max(nowNanos, t.due());
        runDue();
      }
      nowNanos = end;
      runDue();
    }
  }
}
