package dev.jsync.cli.internal;

import dev.jsync.core.PeerStatus;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the node's status four times a second while the node works, once a second while it
 * idles (cheap: a snapshot the engine keeps, but an idle node should cost next to nothing), and does two
 * things with it: rewrites the status file when something changed, at most once a second, and
 * drives the progress line (on a terminal, unless quiet) or a progress log line every half minute
 * (off one; an INFO line, so quiet hides it too). A third: once the node goes quiet after work,
 * it asks for one full collection, so the heap that work grew is given back
 * ({@link IdleCollector}).
 *
 * <p>Runs on its own daemon thread; {@link #close()} stops it. Writes the status file.
 */
final class StatusTicker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusTicker.class);
  private static final Duration TICK = Duration.ofMillis(250);
  /** The tick of a node that has done nothing for {@link IdleCollector#QUIET}. */
  private static final Duration IDLE_TICK = Duration.ofSeconds(1);
  private static final Duration MIN_WRITE_GAP = Duration.ofSeconds(1);
  private static final Duration LOG_PROGRESS_EVERY = Duration.ofSeconds(30);

  private final SyncNode node;
  private final EventLog events;
  private final Path stateDir;
  private final StatusSnapshot.NodeFacts facts;
  private final Map<String, String> knownNames;
  /** When each peer was last seen (a connection began or ended), by full id; the ticker's thread only. */
  private final Map<String, java.time.Instant> lastSeen;
  /** The peers connected at the last tick; the ticker's thread only. */
  private final java.util.Set<String> connected = new java.util.HashSet<>();
  private final ProgressConsole console;
  private final boolean drawLine;
  private final Clock clock;
  /** Operations shorter than this show no progress. */
  private static final Duration SHOW_AFTER = Duration.ofSeconds(2);
  private final Progress progress = new Progress(SHOW_AFTER);
  private final IdleCollector idle = new IdleCollector();
  private final HeapTrim heap = HeapTrim.create();
  private final Runnable whenSettled;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jsync-status");
    t.setDaemon(true);
    return t;
  });

  // Ticker-thread state.
  private StatusSnapshot written;
  private long lastWriteNanos;
  private long lastProgressLogNanos;
  private String lastProgressLogged = "";
  private boolean writeFailed;
  private long scansAtLastTrim;
  private long heapAfterTrim;

  /**
   * @param whenSettled run on the ticker's thread each time the node goes idle after activity,
   *     before the heap is trimmed: for giving back native memory (the index store's memtables)
   */
  StatusTicker(SyncNode node, EventLog events, Path stateDir, StatusSnapshot.NodeFacts facts,
      Map<String, String> knownNames, Map<String, java.time.Instant> knownLastSeen, ProgressConsole console,
      boolean progressLine, Clock clock, Runnable whenSettled) {
    this.whenSettled = whenSettled;
    this.node = node;
    this.events = events;
    this.stateDir = stateDir;
    this.facts = facts;
    this.knownNames = Map.copyOf(knownNames);
    this.lastSeen = new java.util.HashMap<>(knownLastSeen);
    this.console = console;
    this.drawLine = progressLine && console.terminal();
    this.clock = clock;
  }

  void start() {
    schedule(Duration.ZERO);
  }

  private void schedule(Duration delay) {
    try {
      thread.schedule(this::tickAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: no more ticks
    }
  }

  private void tickAndReschedule() {
    long now = System.nanoTime();
    try {
      tick(now);
    } catch (RuntimeException e) {
      log.debug("status tick failed", e); // the next tick tries again
    }
    schedule(idle.quiet(now) ? IDLE_TICK : TICK);
  }

  private void tick(long now) {
    ForgetRequests.serve(stateDir, node); // `jsync forget` while the node runs
    SyncStatus status = node.status();
    writeStatus(status, now);
    long bytesNeeded = status.peers().stream().mapToLong(PeerStatus::bytesNeeded).sum();
    Progress.Reading r = progress.update(now, status.filesNeeded(), bytesNeeded, events.filesDone(),
        events.bytesDone());
    // A sync's progress, else a long scan's (the first scan of a large folder hashes every file).
    Optional<String> line = r.line().or(() -> events.scanLine(now, SHOW_AFTER));
    if (drawLine) {
      console.show(line.orElse(""));
    } else if (line.isPresent() && now - lastProgressLogNanos >= LOG_PROGRESS_EVERY.toNanos()
        && !line.get().equals(lastProgressLogged)) {
      lastProgressLogNanos = now;
      lastProgressLogged = line.get();
      log.info("{}", line.get());
    }
    r.finished().ifPresent(summary -> log.info("{}", summary));
    long signature = status.localSequence() * 31 + events.filesDone() * 17 + events.bytesDone()
        + status.peers().stream().mapToLong(p -> p.receivedSequence() * 7 + p.filesNeeded() + (p.connected() ? 3 : 0))
        .sum();
    boolean settled = idle.update(now, signature);
    if (!idle.quiet(now)) {
      heap.busy(); // data may stream through: the launcher's heap ratios (see HeapTrim)
    }
    if (settled) {
      // A node that has just finished syncing gives the memory it grew back (see IdleCollector).
      log.debug("idle after activity: releasing the index's memtables and collecting so the heap can shrink");
      try {
        whenSettled.run();
      } catch (RuntimeException e) {
        log.debug("releasing memory when idle failed", e); // tried again after the next activity
      }
      trimHeap();
    } else if (idle.quiet(now) && events.fullScans() != scansAtLastTrim) {
      // The periodic full scan of an idle node leaves a few MiB of garbage behind, some of it
      // promoted, so the heap creeps back towards its idle 40 % ceiling. Once it has grown by more
      // than a little since the last trim, one full collection (10-20 ms) takes it back.
      scansAtLastTrim = events.fullScans();
      if (HeapTrim.grownSince(Runtime.getRuntime().totalMemory(), heapAfterTrim)) {
        log.debug("heap grew while idle: collecting so it stays small");
        trimHeap();
      }
    }
  }

  private void trimHeap() {
    heap.collect();
    scansAtLastTrim = events.fullScans();
    heapAfterTrim = Runtime.getRuntime().totalMemory();
  }

  private void writeStatus(SyncStatus status, long now) {
    java.time.Instant at = clock.instant();
    for (PeerStatus p : status.peers()) {
      String id = p.peer().toString();
      // Only when a connection begins or ends: a time that moved at every tick would rewrite the
      // status file every second.
      if (p.connected() ? connected.add(id) : connected.remove(id)) {
        lastSeen.put(id, at);
      }
    }
    StatusSnapshot s = StatusSnapshot.of(status, at, facts, knownNames, lastSeen);
    if (s.sameStateAs(written) || written != null && now - lastWriteNanos < MIN_WRITE_GAP.toNanos()) {
      return;
    }
    try {
      StatusFile.write(stateDir, s);
      written = s;
      lastWriteNanos = now;
      writeFailed = false;
    } catch (IOException e) {
      if (!writeFailed) {
        log.warn("cannot write the status file in {}: {} (jsync status will be out of date)", stateDir,
            e.getMessage());
      }
      writeFailed = true;
    }
  }

  /** The names of peers in the last status file, for peers that have not connected yet in this run. */
  static Map<String, String> namesFrom(Optional<StatusSnapshot> previous) {
    Map<String, String> names = new java.util.HashMap<>();
    previous.ifPresent(p -> p.peers().forEach(peer -> names.put(peer.id(), peer.name())));
    return names;
  }

  /** When each peer in the last status file was last seen, for peers that have not connected yet in this run. */
  static Map<String, java.time.Instant> lastSeenFrom(Optional<StatusSnapshot> previous) {
    Map<String, java.time.Instant> seen = new java.util.HashMap<>();
    previous.ifPresent(p -> p.peers().forEach(peer -> peer.lastSeen().ifPresent(t -> seen.put(peer.id(), t))));
    return seen;
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    console.show("");
  }
}
