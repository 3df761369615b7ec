package dev.jsync.testkit;

import dev.jsync.core.DeviceId;

/**
 * Two devices, in device order, naming one possible connection in a network fake: the same pair
 * whichever end names it first.
 */
record DevicePair(DeviceId lo, DeviceId hi) implements Comparable<DevicePair> {

  static DevicePair of(DeviceId a, DeviceId b) {
    if (a.equals(b)) {
      throw new IllegalArgumentException("a device does not connect to itself: " + a.shortId());
    }
    return a.compareTo(b) < 0 ? new DevicePair(a, b) : new DevicePair(b, a);
  }

  boolean contains(DeviceId device) {
    return lo.equals(device) || hi.equals(device);
  }

  @Override
  public int compareTo(DevicePair o) {
    int c = lo.compareTo(o.lo);
    return c != 0 ? c : hi.compareTo(o.hi);
  }

  @Override
  public String toString() {
    return lo.shortId() + "-" + hi.shortId();
  }
}
