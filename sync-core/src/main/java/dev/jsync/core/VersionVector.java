package dev.jsync.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A version vector: for each device, how many changes it has made to one path. Version A
 * happened before version B when every counter of A is at most B's and at least one is
 * smaller; when neither happened before the other they are concurrent, i.e. made without
 * knowledge of each other. This, not the clock, decides which version of a file is newer.
 *
 * <p>Absent devices count as zero. Immutable and thread-safe; stored as two parallel sorted
 * arrays, so a vector of the two to five devices jSync is made for costs a few dozen bytes.
 */
public final class VersionVector {

  private static final VersionVector EMPTY = new VersionVector(new DeviceId[0], new long[0]);

  private final DeviceId[] devices;
  private final long[] counters;

  private VersionVector(DeviceId[] devices, long[] counters) {
    this.devices = devices;
    this.counters = counters;
  }

  /** The vector of a path nobody has changed: every counter zero. */
  public static VersionVector empty() {
    return EMPTY;
  }

  /** A vector with the given counters; zero counters are dropped. */
  public static VersionVector of(Map<DeviceId, Long> counters) {
    TreeMap<DeviceId, Long> sorted = new TreeMap<>();
    counters.forEach((d, c) -> {
      Objects.requireNonNull(d, "device");
      if (c == null || c < 0) {
        throw new IllegalArgumentException("counter must be >= 0: " + d + "=" + c);
      }
      if (c > 0) {
        sorted.put(d, c);
      }
    });
    DeviceId[] ds = sorted.keySet().toArray(new DeviceId[0]);
    long[] cs = new long[ds.length];
    for (int i = 0; i < ds.length; i++) {
      cs[i] = sorted.get(ds[i]);
    }
    return new VersionVector(ds, cs);
  }

  /** The counter of {@code device}, zero if absent. */
  public long get(DeviceId device) {
    int i = Arrays.binarySearch(devices, device);
    return i >= 0 ? counters[i] : 0;
  }

  /** This vector with {@code device}'s counter one higher: a new change made by it. */
  public VersionVector increment(DeviceId device) {
    return withCounter(device, Math.addExact(get(device), 1));
  }

  /**
   * This vector with {@code device}'s counter raised to {@code max(counter + 1, atLeast)}.
   * Passing the clock's seconds as {@code atLeast} keeps counters growing even when a device
   * lost its state and restarted from zero (the approach Syncthing takes).
   */
  public VersionVector increment(DeviceId device, long atLeast) {
    return withCounter(device, Math.max(Math.addExact(get(device), 1), atLeast));
  }

  private VersionVector withCounter(DeviceId device, long value) {
    int i = Arrays.binarySearch(devices, device);
    if (i >= 0) {
      long[] cs = counters.clone();
      cs[i] = value;
      return new VersionVector(devices, cs);
    }
    int at = -i - 1;
    DeviceId[] ds = new DeviceId[devices.length + 1];
    long[] cs = new long[counters.length + 1];
    System.arraycopy(devices, 0, ds, 0, at);
    System.arraycopy(counters, 0, cs, 0, at);
    ds[at] = device;
    cs[at] = value;
    System.arraycopy(devices, at, ds, at + 1, devices.length - at);
    System.arraycopy(counters, at, cs, at + 1, counters.length - at);
    return new VersionVector(ds, cs);
  }

  /** The least vector that is at or after both: the element-wise maximum. */
  public VersionVector merge(VersionVector other) {
    DeviceId[] ds = new DeviceId[devices.length + other.devices.length];
    long[] cs = new long[ds.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < devices.length || j < other.devices.length) {
      int cmp = i == devices.length ? 1 : j == other.devices.length ? -1 : devices[i].compareTo(other.devices[j]);
      if (cmp < 0) {
        ds[n] = devices[i];
        cs[n++] = counters[i++];
      } else if (cmp > 0) {
        ds[n] = other.devices[j];
        cs[n++] = other.counters[j++];
      } else {
        ds[n] = devices[i];
        cs[n++] = Math.max(counters[i++], other.counters[j++]);
      }
    }
    return new VersionVector(Arrays.copyOf(ds, n), Arrays.copyOf(cs, n));
  }

  /** How this version relates to {@code other}. */
  public Causality compare(VersionVector other) {
    boolean someGreater = false;
    boolean someLess = false;
    int i = 0;
    int j = 0;
    while (i < devices.length || j < other.devices.length) {
      int cmp = i == devices.length ? 1 : j == other.devices.length ? -1 : devices[i].compareTo(other.devices[j]);
      long mine;
      long theirs;
      if (cmp < 0) {
        mine = counters[i++];
        theirs = 0;
      } else if (cmp > 0) {
        mine = 0;
        theirs = other.counters[j++];
      } else {
        mine = counters[i++];
        theirs = other.counters[j++];
      }
      someGreater |= mine > theirs;
      someLess |= mine < theirs;
      if (someGreater && someLess) {
        return Causality.CONCURRENT;
      }
    }
    return someGreater ? Causality.AFTER : someLess ? Causality.BEFORE : Causality.EQUAL;
  }

  /** Returns {@code true} if this version is equal to or after {@code other}. */
  public boolean dominates(VersionVector other) {
    Causality c = compare(other);
    return c == Causality.EQUAL || c == Causality.AFTER;
  }

  /** Returns {@code true} if every counter is zero. */
  public boolean isEmpty() {
    return devices.length == 0;
  }

  /** The non-zero counters, by device order. */
  public SortedMap<DeviceId, Long> counters() {
    TreeMap<DeviceId, Long> m = new TreeMap<>();
    for (int i = 0; i < devices.length; i++) {
      m.put(devices[i], counters[i]);
    }
    return Collections.unmodifiableSortedMap(m);
  }

  /** Number of devices with a non-zero counter. */
  public int size() {
    return devices.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector v && Arrays.equals(v.devices, devices) && Arrays.equals(v.counters, counters);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(devices) + Arrays.hashCode(counters);
  }

  /** Short form for logs, e.g. {@code {abcdefg:3, xyz2345:1}}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < devices.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(devices[i].shortId()).append(':').append(counters[i]);
    }
    return b.append('}').toString();
  }
}
