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
 * path stored, and possibly a path to pull) and no file larger than {@code maxFileBytes}. A
 * batch that breaks either bound is refused whole, before anything of it is stored, so the
 * records already held stay as they were; the receiver then closes the link.
 *
 * <p>The number of records held of each peer is counted once, from the store, the first time a
 * batch of that peer arrives, and kept up to date from then on: a record at a path not held yet
 * adds one, a batch that starts the peer's index over resets it. Control thread.
 */
final class PeerIndexLimits {

  /** A batch that would break a bound; its message says which, for the log, the event and the peer. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final IndexStore store;
  private final long maxRecords;
  private final long maxFileBytes;
  private final Map<DeviceId, Long> held = new HashMap<>();

  PeerIndexLimits(IndexStore store, long maxRecords, long maxFileBytes) {
    this.store = store;
    this.maxRecords = maxRecords;
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Checks a batch of {@code peer}'s records not held yet by sequence; {@code startsOver} when
   * the batch replaces everything held of the peer. Returns how many records the peer will have
   * once the batch is stored, to hand to {@link #stored}.
   *
   * @throws Refused if a record is a file larger than allowed, or the batch takes the peer's
   *     records beyond the bound
   */
  long check(DeviceId peer, boolean startsOver, List<FileRecord> fresh) {
    for (FileRecord r : fresh) {
      if (!r.deleted() && r.kind() == FileKind.FILE && r.size() > maxFileBytes) {
        throw new Refused(r.path() + " is announced as a file of " + r.size() + " bytes, more than the "
            + maxFileBytes + " this node accepts from a peer");
      }
    }
    long count = startsOver ? 0 : held(peer);
    Set<RelativePath> added = new HashSet<>();
    for (FileRecord r : fresh) {
      if ((startsOver || store.remote(peer, r.path()).isEmpty()) && added.add(r.path())) {
        count++;
      }
    }
    if (count > maxRecords) {
      throw new Refused("this batch would make " + count + " records of its index, more than the "
          + maxRecords + " this node holds of one peer");
    }
    return count;
  }

  /** Records that the batch checked by {@link #check} is stored: {@code peer} now has {@code count}. */
  void stored(DeviceId peer, long count) {
    held.put(peer, count);
  }

  private long held(DeviceId peer) {
    Long n = held.get(peer);
    if (n == null) {
      long[] counted = {0};
      store.forEachRemote(peer, r -> counted[0]++);
      n = counted[0];
      held.put(peer, n);
    }
    return n;
  }
}
