package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.IndexStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one peer's index may make this node hold: at most {@code maxRecords} records (each a
 * path stored, and possibly a path to pull), no file larger than {@code maxFileBytes}, and
 * records whose paths would take at most {@code maxHeapBytes} of heap if every one of them had
 * to be pulled (a need costs about {@link #HEAP_PER_RECORD} bytes plus its path: with the
 * launcher's small heap, a few hundred thousand long paths would otherwise exhaust it, and the
 * needs are rebuilt from the stored records at every start). A batch that breaks any bound is
 * refused whole, before anything of it is stored, so the records already held stay as they
 * were; the receiver then closes the link.
 *
 * <p>How much each peer holds is counted once, from the store, the first time a batch of that
 * peer arrives, and kept up to date from then on: a record at a path not held yet adds to it, a
 * batch that starts the peer's index over resets it. Control thread.
 */
final class PeerIndexLimits {

  /** A batch that would break a bound; its message says which, for the log, the event and the peer. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Heap a needed path costs besides its characters: the need, its queue and map entries. */
  static final long HEAP_PER_RECORD = 200;

  /** How many records of a peer are held, and the heap they would take as needs. */
  record Held(long records, long heapBytes) {
  }

  private final IndexStore store;
  private final long maxRecords;
  private final long maxFileBytes;
  private final long maxHeapBytes;
  private final Map<DeviceId, Held> held = new HashMap<>();

  PeerIndexLimits(IndexStore store, long maxRecords, long maxFileBytes, long maxHeapBytes) {
    this.store = store;
    this.maxRecords = maxRecords;
    this.maxFileBytes = maxFileBytes;
    this.maxHeapBytes = maxHeapBytes;
  }

  /** A quarter of this JVM's largest heap: what one peer's paths may take of it. */
  static long heapShare() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  /**
   * Checks a batch of {@code peer}'s records not held yet by sequence; {@code startsOver} when
   * the batch replaces everything held of the peer. Returns what the peer will have once the
   * batch is stored, to hand to {@link #stored}.
   *
   * @throws Refused if a record is a file larger than allowed, or the batch takes the peer's
   *     records beyond a bound
   */
  Held check(DeviceId peer, boolean startsOver, List<FileRecord> fresh) {
    for (FileRecord r : fresh) {
      if (!r.deleted() && r.kind() == FileKind.FILE && r.size() > maxFileBytes) {
        throw new Refused(r.path() + " is announced as a file of " + r.size() + " bytes, more than the "
            + maxFileBytes + " this node accepts from a peer");
      }
    }
    Held before = startsOver ? new Held(0, 0) : held(peer);
    long count = before.records();
    long heap = before.heapBytes();
    Set<RelativePath> added = new HashSet<>();
    for (FileRecord r : fresh) {
      if ((startsOver || store.remote(peer, r.path()).isEmpty()) && added.add(r.path())) {
        count++;
        heap += heapOf(r.path());
      }
    }
    if (count > maxRecords) {
      throw new Refused("this batch would make " + count + " records of its index, more than the "
          + maxRecords + " this node holds of one peer");
    }
    if (heap > maxHeapBytes) {
      throw new Refused("this batch would make " + count + " records of its index, whose paths would take about "
          + (heap >> 20) + " MiB of memory to pull, more than the " + (maxHeapBytes >> 20)
          + " MiB one peer may take (a quarter of the Java heap: give the JVM more, e.g. -Xmx in JSYNC_JAVA_OPTS,"
          + " for a folder this large)");
    }
    return new Held(count, heap);
  }

  /** Records that the batch checked by {@link #check} is stored: {@code peer} now has {@code now}. */
  void stored(DeviceId peer, Held now) {
    held.put(peer, now);
  }

  private Held held(DeviceId peer) {
    Held h = held.get(peer);
    if (h == null) {
      long[] counted = {0, 0};
      store.forEachRemote(peer, r -> {
        counted[0]++;
        counted[1] += heapOf(r.path());
      });
      h = new Held(counted[0], counted[1]);
      held.put(peer, h);
    }
    return h;
  }

  private static long heapOf(RelativePath path) {
    return HEAP_PER_RECORD + 2L * path.toString().length();
  }
}
