package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.LocalSummary;
import java.util.Arrays;

/**
 * The local index as a full scan needs it, in four flat arrays that one scanner keeps and
 * reuses from scan to scan: an open-addressing table from a 64-bit hash of each entry's path to
 * what is needed to see that the disk still matches it (a fingerprint of kind, executable bit,
 * size and file key or link target, and the exact modification time), with whether the entry is
 * live and whether the walk found its path.
 *
 * <p>Why not a map of summaries: on an idle node a periodic scan would hold one object graph per
 * entry (~300 bytes) for the length of the walk, long enough to be promoted out of the young
 * generation, and each scan would then cost a full collection to clear the last one's. These
 * arrays are allocated once (about 25 bytes a slot, two slots an entry at most) and make no
 * garbage.
 *
 * <p>A match is a claim that nothing changed, so it is made only on equal fingerprints and equal
 * modification times; a 64-bit fingerprint collision for the same path between its old and new
 * stat (with the same modification time to the nanosecond) is what it would take to miss a
 * change, and the watcher reports most changes anyway. Two paths with the same path hash share a
 * slot, which is then marked shared: every path that lands on it is checked against the store in
 * full, so a collision costs time, never a missed change. Not thread-safe.
 */
final class IndexDigest {

  private static final byte LIVE = 1;
  private static final byte FOUND = 2;
  private static final byte SHARED = 4;

  private long[] keys = new long[16];
  private long[] marks = new long[16];
  private long[] mtimes = new long[16];
  private byte[] flags = new byte[16];
  private int size;

  /** Empties the table for a new scan, keeping (or, if far too large, shrinking) its arrays. */
  void clear() {
    if (keys.length > 64 && size * 8 < keys.length) {
      allocate(Math.max(16, Integer.highestOneBit(size) * 4));
    } else {
      Arrays.fill(keys, 0);
      Arrays.fill(flags, (byte) 0);
    }
    size = 0;
  }

  int size() {
    return size;
  }

  /** Adds an index entry. */
  void add(LocalSummary s) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    long key = pathKey(s.path().toString());
    int slot = slotOf(key);
    if (keys[slot] == key) {
      flags[slot] |= SHARED | (s.deleted() ? 0 : LIVE);
      return;
    }
    keys[slot] = key;
    marks[slot] = s.deleted() ? 0 : mark(s.kind(), s.executable(), s.symlinkTarget(), s.stat().orElse(null));
    mtimes[slot] = s.stat().map(DiskStat::modifiedNanos).orElse(0L);
    flags[slot] = s.deleted() ? 0 : LIVE;
    size++;
  }

  /**
   * Marks {@code path} found by the walk and tells whether its entry certainly still describes
   * {@code o}. False means "look in the store": no entry, a changed one, or a shared slot.
   */
  boolean foundUnchanged(String path, Observed o) {
    long key = pathKey(path);
    int slot = slotOf(key);
    if (keys[slot] != key) {
      return false;
    }
    flags[slot] |= FOUND;
    if ((flags[slot] & SHARED) != 0 || marks[slot] == 0) {
      return false;
    }
    return marks[slot] == mark(o.kind(), o.executable(), o.symlinkTarget(), o.stat())
        && (o.kind() != FileKind.FILE || mtimes[slot] == o.stat().modifiedNanos());
  }

  /** True if some live entry's path was not found by the walk (or may not have been: shared). */
  boolean anyLiveMissed() {
    for (byte f : flags) {
      if ((f & LIVE) != 0 && ((f & FOUND) == 0 || (f & SHARED) != 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if the live entry {@code s} may have vanished: the walk did not find its path, or its
   * slot is shared (then every live path on it is looked at again).
   */
  boolean mayHaveVanished(LocalSummary s) {
    if (s.deleted()) {
      return false;
    }
    long key = pathKey(s.path().toString());
    int slot = slotOf(key);
    return keys[slot] == key && ((flags[slot] & FOUND) == 0 || (flags[slot] & SHARED) != 0);
  }

  /** The slot holding {@code key}, or the empty slot where it would go. */
  private int slotOf(long key) {
    int mask = keys.length - 1;
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (keys[slot] != 0 && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldMarks = marks;
    long[] oldMtimes = mtimes;
    byte[] oldFlags = flags;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = slotOf(oldKeys[i]);
        keys[slot] = oldKeys[i];
        marks[slot] = oldMarks[i];
        mtimes[slot] = oldMtimes[i];
        flags[slot] = oldFlags[i];
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    marks = new long[capacity];
    mtimes = new long[capacity];
    flags = new byte[capacity];
  }

  /** A 64-bit hash of a path, never 0 (the empty slot). */
  static long pathKey(String path) {
    long h = hash(path);
    return h == 0 ? 1 : h;
  }

  /**
   * What must be equal for an entry to describe the disk, in 64 bits, never 0: folders match by
   * kind alone, links by target, files by executable bit, size and file key (the modification
   * time is compared exactly, apart). 0 means "never matches": a file entry without a stat.
   *
   * @param stat the disk stat, or null if the entry has none
   */
  static long mark(FileKind kind, boolean executable, String symlinkTarget, DiskStat stat) {
    if (kind == FileKind.FILE && stat == null) {
      return 0;
    }
    long m = switch (kind) {
      case DIRECTORY -> 1;
      case SYMLINK -> mix(2 + 31 * hash(symlinkTarget));
      case FILE -> mix(mix(mix(3 + (executable ? 1 : 0)) ^ stat.size()) ^ hash(stat.fileKey()));
    };
    return m == 0 ? 1 : m;
  }

  /** FNV-1a over the characters, finished by {@link #mix}. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return mix(h);
  }

  /** The SplitMix64 finaliser: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
