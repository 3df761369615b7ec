package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * The paths this node must bring in from peers, organised so that no operation walks them all:
 * a FIFO of pulls ready to start, a queue of deletes (deepest first, run when no pull is
 * left), a queue of paths waiting out a retry delay, and per-peer totals for the status. A
 * change therefore costs the same in a folder of ten files or of a hundred thousand.
 *
 * <p>A need sits in at most one queue ({@link Need#queue}), and in none while it is being
 * pulled; the engine hands it back with {@link #requeue} when a pull ends without resolving
 * it. Queues are cleaned lazily: an entry whose need has moved on or gone is skipped when it
 * comes up. Confined to the engine's control thread.
 */
final class Needs {

  private final Map<RelativePath, Need> byPath = new HashMap<>();
  private final ArrayDeque<Need> ready = new ArrayDeque<>();
  private final PriorityQueue<Need> deletes =
      new PriorityQueue<>(Comparator.comparingInt((Need n) -> -n.path.depth()).thenComparing(n -> n.path));
  private final PriorityQueue<Need> waiting = new PriorityQueue<>(Comparator.comparingLong((Need n) -> n.notBeforeNanos));
  private final Map<DeviceId, Tally> perPeer = new HashMap<>();

  /** Files and bytes still needed from one peer. */
  record Totals(long files, long bytes) {}

  /** A peer's running totals. */
  private static final class Tally {
    long files;
    long bytes;
  }

  int size() {
    return byPath.size();
  }

  Need get(RelativePath path) {
    return byPath.get(path);
  }

  /** Every needed path, in no particular order (a copy). */
  java.util.List<RelativePath> paths() {
    return new java.util.ArrayList<>(byPath.keySet());
  }

  /**
   * Whether a path below {@code folder} (not the folder itself) is needed. The one walk over every
   * need, for the rare removal of a folder made for a download that waits on what it holds
   * ({@link Applier}).
   */
  boolean anyBelow(RelativePath folder) {
    for (RelativePath p : byPath.keySet()) {
      if (!p.equals(folder) && folder.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Adds a need or updates the existing one, and queues it unless it is being pulled. */
  void put(RelativePath path, DeviceId from, long bytes, boolean delete, boolean pulling, long nowNanos) {
    Need n = byPath.get(path);
    if (n == null) {
      n = new Need(path, from, bytes, delete);
      byPath.put(path, n);
    } else {
      tally(n, -1);
      n.from = from;
      n.bytes = bytes;
      if (n.delete != delete) {
        n.delete = delete;
        n.queue = null; // its entry, if any, is in the wrong queue now
      }
    }
    tally(n, +1);
    if (!pulling && n.queue == null) {
      enqueue(n, nowNanos);
    }
  }

  /** Forgets a need (resolved, or nothing to do any more). */
  void remove(RelativePath path) {
    Need n = byPath.remove(path);
    if (n != null) {
      tally(n, -1);
      n.queue = null;
    }
  }

  /** Puts a need back in line after its pull ended unresolved; it waits if it has a retry time. */
  void requeue(RelativePath path, long nowNanos) {
    Need n = byPath.get(path);
    if (n != null && n.queue == null) {
      enqueue(n, nowNanos);
    }
  }

  /** Moves needs whose retry time has come into line; returns the next retry time, or 0. */
  long promote(long nowNanos) {
    while (!waiting.isEmpty()) {
      Need n = waiting.peek();
      if (!current(n, waiting)) {
        waiting.poll();
        continue;
      }
      if (n.notBeforeNanos > nowNanos) {
        return n.notBeforeNanos;
      }
      waiting.poll();
      n.queue = null;
      enqueue(n, nowNanos);
    }
    return 0;
  }

  /** Ends every retry back-off: a peer came back, so what failed for want of one may go now. */
  void retryAllNow(long nowNanos) {
    for (Need n : byPath.values()) {
      n.notBeforeNanos = 0;
      if (n.queue == waiting) {
        enqueue(n, nowNanos);
      }
    }
  }

  /** The next pull ready to start, or null. */
  Need pollReady() {
    return poll(ready);
  }

  /** The next delete (deepest first), or null. */
  Need pollDelete() {
    return poll(deletes);
  }

  /** Whether a pull is waiting to start. */
  boolean hasReady() {
    while (!ready.isEmpty() && !current(ready.peek(), ready)) {
      ready.poll();
    }
    return !ready.isEmpty();
  }

  /** Files and bytes still needed from {@code peer}. */
  Totals totals(DeviceId peer) {
    Tally t = perPeer.get(peer);
    return t == null ? new Totals(0, 0) : new Totals(t.files, t.bytes);
  }

  private Need poll(Queue<Need> q) {
    while (!q.isEmpty()) {
      Need n = q.poll();
      if (current(n, q)) {
        n.queue = null;
        return n;
      }
    }
    return null;
  }

  /** True if the entry {@code n} in {@code q} is live: its need still exists and belongs there. */
  private boolean current(Need n, Queue<Need> q) {
    return n.queue == q && byPath.get(n.path) == n;
  }

  private void enqueue(Need n, long nowNanos) {
    Queue<Need> q = n.notBeforeNanos > nowNanos ? waiting : n.delete ? deletes : ready;
    n.queue = q;
    q.add(n);
  }

  private void tally(Need n, int sign) {
    Tally t = perPeer.computeIfAbsent(n.from, k -> new Tally());
    t.files += sign;
    t.bytes += sign * n.bytes;
  }
}
