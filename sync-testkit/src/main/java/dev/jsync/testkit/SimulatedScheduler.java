package dev.jsync.testkit;

import dev.jsync.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.MDC;

/**
 * A deterministic scheduler with virtual time: every task of a simulated cluster (each node's
 * control and I/O work, every network delivery, every timer) runs from one queue, on the thread
 * that calls {@link #step()}, so that a seed replays a run exactly.
 *
 * <h2>How a step is chosen</h2>
 *
 * <p>Each task belongs to a <em>lane</em>. An ordered lane (a node's control scheduler, one
 * direction of one connection) runs its tasks one at a time in submission order, as a
 * single-threaded executor would; an unordered lane (a node's I/O pool) may run its tasks in
 * any order, as a thread pool would. A step takes the earliest due time among the pending
 * tasks, moves virtual time there, and among the tasks due then that their lanes allow to run
 * picks one with the seeded random generator: this tie-breaking is where the interleavings of
 * real threads are explored. Time never moves while a task runs; only due times move it.
 *
 * <h2>Processes</h2>
 *
 * <p>{@link #process(String)} gives a node a control {@link Scheduler} and an I/O
 * {@link Executor}. {@link Process#kill()} simulates the process dying: its queued tasks and
 * timers are dropped and anything submitted to it later is silently discarded.
 *
 * <h2>Strictness</h2>
 *
 * <p>A task that throws does not stop the simulation, but the exception is kept
 * ({@link #uncaughtExceptions()}): the cluster simulator reports it as a failure, since nothing
 * the engine submits may throw.
 *
 * <p>Not thread-safe: the simulation, and everything it drives, runs on one thread. Does no
 * I/O.
 */
public final class SimulatedScheduler implements Scheduler {

  /** Where virtual time starts unless told otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

  private final long seed;
  private final Instant start;
  private final SplittableRandom random;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final Lane main;
  private final List<String> uncaught = new ArrayList<>();
  private Throwable firstUncaught;
  private long nanos;
  private long nextSeq;
  private int nextLaneId;
  private long steps;
  private long trace = 0x6a09e667f3bcc908L;
  private Lane running;
  private Lane lastLane;

  /** A scheduler whose tie-breaking follows {@code seed}, with time starting at {@link #DEFAULT_START}. */
  public SimulatedScheduler(long seed) {
    this(seed, DEFAULT_START);
  }

  /** A scheduler whose tie-breaking follows {@code seed}, with time starting at {@code start}. */
  public SimulatedScheduler(long seed, Instant start) {
    this.seed = seed;
    this.start = Objects.requireNonNull(start, "start");
    this.random = new SplittableRandom(mix(seed ^ 0x5ca1ab1eL));
    this.main = new Lane(this, "main", true, null);
  }

  /** The seed this scheduler was made with. */
  public long seed() {
    return seed;
  }

  /** The virtual time now. */
  public Instant now() {
    return start.plusNanos(nanos);
  }

  /** Virtual time elapsed since the start. */
  public Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  /** Virtual nanoseconds elapsed since the start. */
  public long nanos() {
    return nanos;
  }

  /** Where virtual time started. */
  public Instant start() {
    return start;
  }

  /** Steps run so far. */
  public long steps() {
    return steps;
  }

  /**
   * A random generator for one part of the simulation (a network, a node's engine), derived
   * from the seed and {@code purpose} alone. Separate streams keep one part's draws from
   * shifting another's.
   */
  public RandomGenerator randomFor(String purpose) {
    return new SplittableRandom(mix(seed * 31 + purpose.hashCode()));
  }

  // ---------------------------------------------------------------- submitting

  /** Runs {@code task} on this scheduler's own ordered lane, after tasks already submitted to it. */
  @Override
  public void execute(Runnable task) {
    main.execute(task);
  }

  /** Runs {@code task} on this scheduler's own ordered lane, {@code delay} of virtual time from now. */
  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    return main.schedule(task, delay);
  }

  /**
   * A new ordered lane, for a component that must see its tasks run in order (one direction of
   * a simulated connection, say). Lanes live as long as the scheduler.
   */
  public Scheduler orderedLane(String name) {
    return new Lane(this, name, true, null);
  }

  /** A simulated process: a control scheduler and an I/O executor that die together. */
  public Process process(String name) {
    return new Process(this, name);
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs one task, moving virtual time to its due time.
   *
   * @return false if nothing was pending
   */
  public boolean step() {
    Task head = peekLive();
    if (head == null) {
      return false;
    }
    long due = head.due;
    List<Task> batch = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().due == due) {
      Task t = queue.poll();
      if (t.isLive()) {
        batch.add(t);
      }
    }
    // Only the oldest task of each ordered lane may run; any task of an unordered lane may.
    List<Task> eligible = new ArrayList<>(batch.size());
    Set<Lane> seen = new HashSet<>();
    for (Task t : batch) { // the batch is in (due, seq) order
      if (!t.lane.ordered || seen.add(t.lane)) {
        eligible.add(t);
      }
    }
    Task pick = eligible.size() == 1 ? eligible.get(0) : eligible.get(random.nextInt(eligible.size()));
    for (Task t : batch) {
      if (t != pick) {
        queue.add(t);
      }
    }
    nanos = Math.max(nanos, due);
    steps++;
    trace = mix(trace ^ (nanos * 0x9e3779b97f4a7c15L) ^ ((long) pick.lane.id << 32) ^ pick.lane.stepCount++);
    running = pick.lane;
    lastLane = pick.lane;
    // Log lines say which node's lane wrote them, and when (logback-test.xml prints %X{lane}).
    MDC.put("lane", pick.lane.name + " " + elapsed());
    try {
      pick.task.run();
    } catch (Throwable e) {
      uncaught.add(pick.lane.name + " at " + elapsed() + ": " + e);
      if (uncaught.size() == 1) {
        firstUncaught = e;
      }
    } finally {
      running = null;
      MDC.remove("lane");
    }
    return true;
  }

  /**
   * Runs tasks while any is due within {@code horizon} of the current virtual time; a pending
   * task further away (the next periodic scan, say) counts as idle.
   *
   * @return whether the scheduler became idle within {@code maxSteps} steps
   */
  public boolean runUntilIdle(Duration horizon, long maxSteps) {
    long limit = steps + maxSteps;
    while (!isIdle(horizon)) {
      if (steps >= limit) {
        return false;
      }
      step();
    }
    return true;
  }

  /** Runs every task due within {@code duration} from now, then moves time to its end. */
  public boolean runFor(Duration duration, long maxSteps) {
    long end = Math.addExact(nanos, duration.toNanos());
    long limit = steps + maxSteps;
    Task head;
    while ((head = peekLive()) != null && head.due <= end) {
      if (steps >= limit) {
        return false;
      }
      step();
    }
    nanos = Math.max(nanos, end);
    return true;
  }

  /** Steps until {@code condition} holds; false if {@code maxSteps} ran out or nothing was left to run. */
  public boolean runUntil(BooleanSupplier condition, long maxSteps) {
    long limit = steps + maxSteps;
    while (!condition.getAsBoolean()) {
      if (steps >= limit || !step()) {
        return false;
      }
    }
    return true;
  }

  /** True if no live task is due within {@code horizon} of now. */
  public boolean isIdle(Duration horizon) {
    Task head = peekLive();
    return head == null || head.due - nanos > horizon.toNanos();
  }

  /** When the next live task is due, or empty if none is pending. */
  public java.util.Optional<Duration> nextDue() {
    Task head = peekLive();
    return head == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(head.due - nanos));
  }

  /** Live tasks pending (timers included). */
  public int pending() {
    int n = 0;
    for (Task t : queue) {
      if (t.isLive()) {
        n++;
      }
    }
    return n;
  }

  /**
   * A hash of every step so far: when it ran, on which lane, and the lane's own step count.
   * Two runs with the same seed and the same inputs have the same trace; any divergence in
   * scheduling, timing or behaviour shows up here.
   */
  public long traceHash() {
    return trace;
  }

  /** Mixes an observation of the caller's into the trace, e.g. a user operation or a fault. */
  public void record(String event) {
    trace = mix(trace ^ event.hashCode() ^ ((long) event.length() << 40));
  }

  /** Descriptions of the exceptions tasks threw, in order. */
  public List<String> uncaughtExceptions() {
    return Collections.unmodifiableList(uncaught);
  }

  /** The first exception a task threw, if any (for its stack trace). */
  public java.util.Optional<Throwable> firstUncaughtException() {
    return java.util.Optional.ofNullable(firstUncaught);
  }

  /** The process whose task the last step ran, if it belonged to one. */
  public java.util.Optional<Process> lastProcess() {
    return lastLane == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(lastLane.process);
  }

  /** True while a task is running: the caller is inside the simulation. */
  public boolean inStep() {
    return running != null;
  }

  private Task peekLive() {
    while (!queue.isEmpty() && !queue.peek().isLive()) {
      queue.poll();
    }
    return queue.peek();
  }

  void submit(Lane lane, Runnable task, long delayNanos, Task handle) {
    handle.due = Math.addExact(nanos, Math.max(0, delayNanos));
    handle.seq = nextSeq++;
    queue.add(handle);
  }

  int newLaneId() {
    return nextLaneId++;
  }

  /** SplitMix64's finaliser: a cheap, well-spread 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  // ---------------------------------------------------------------- lanes and processes

  /** One pending task. */
  static final class Task implements Comparable<Task>, Cancellable {
    final Lane lane;
    final Runnable task;
    long due;
    long seq;
    boolean cancelled;

    Task(Lane lane, Runnable task) {
      this.lane = lane;
      this.task = task;
    }

    boolean isLive() {
      return !cancelled && lane.alive;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** A queue of tasks with a name, ordered or not; dead once its process is killed. */
  static final class Lane implements Scheduler {
    final SimulatedScheduler owner;
    final String name;
    final boolean ordered;
    final Process process;
    final int id;
    boolean alive = true;
    long stepCount;

    Lane(SimulatedScheduler owner, String name, boolean ordered, Process process) {
      this.owner = owner;
      this.name = name;
      this.ordered = ordered;
      this.process = process;
      this.id = owner.newLaneId();
    }

    @Override
    public void execute(Runnable task) {
      Objects.requireNonNull(task, "task");
      if (alive) {
        owner.submit(this, task, 0, new Task(this, task));
      }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      Objects.requireNonNull(task, "task");
      Task t = new Task(this, task);
      if (alive) {
        owner.submit(this, task, delay.toNanos(), t);
      } else {
        t.cancelled = true;
      }
      return t;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * The tasks of one simulated process: a {@link #control()} scheduler that runs one task at a
   * time in order, and an {@link #io()} executor whose tasks may run in any order. Killing the
   * process drops both.
   */
  public static final class Process {
    private final String name;
    private final Lane control;
    private final Lane io;

    Process(SimulatedScheduler owner, String name) {
      this.name = name;
      this.control = new Lane(owner, name + "/control", true, this);
      this.io = new Lane(owner, name + "/io", false, this);
    }

    /** The process's name, as given. */
    public String name() {
      return name;
    }

    /** The control scheduler: one task at a time, in submission order (timers by due time). */
    public Scheduler control() {
      return control;
    }

    /** The I/O executor: tasks run one at a time, but in an order the seed picks. */
    public Executor io() {
      return io;
    }

    /** Simulates the process dying: pending tasks and timers vanish; later submissions are ignored. */
    public void kill() {
      control.alive = false;
      io.alive = false;
    }

    /** False once killed. */
    public boolean isAlive() {
      return control.alive;
    }

    @Override
    public String toString() {
      return name + (isAlive() ? "" : " (killed)");
    }
  }
}
