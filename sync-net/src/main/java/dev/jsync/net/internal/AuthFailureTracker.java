package dev.jsync.net.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Recent failed authentications per remote address, to slow down whoever keeps guessing: a new
 * connection from an address with {@code n} recent failures waits {@code 250 ms × 2^(n-1)},
 * at most {@value #MAX_PENALTY_MILLIS} ms, before its TLS handshake is even read. Failures are
 * forgotten {@value #WINDOW_MINUTES} minutes after the last one, or at the first success.
 * Addresses are counted as {@link AddressKeys} does (IPv6 by /64), and at most
 * {@value #MAX_ADDRESSES} are remembered, so the tracker itself cannot be flooded. When it is
 * full, a new failure evicts an expired entry if there is one, else the entry with the fewest
 * failures (the oldest among those): failing once from a thousand fresh addresses only churns
 * other one-time failures, and cannot wipe out the count of an address that keeps guessing.
 *
 * <p>Thread-safe.
 */
final class AuthFailureTracker {

  static final long BASE_PENALTY_MILLIS = 250;
  static final long MAX_PENALTY_MILLIS = 5_000;
  static final int WINDOW_MINUTES = 10;
  static final int MAX_ADDRESSES = 1024;

  private record Failures(int count, Instant last) {
  }

  private final Clock clock;
  private final Map<InetAddress, Failures> byAddress = new HashMap<>();

  AuthFailureTracker(Clock clock) {
    this.clock = clock;
  }

  /** Records a failure; returns the number of recent failures from {@code address}. */
  synchronized int recordFailure(InetAddress address) {
    if (address == null) {
      return 0;
    }
    InetAddress key = AddressKeys.of(address);
    Failures f = current(key);
    int count = f == null ? 1 : f.count + 1;
    if (f == null && byAddress.size() >= MAX_ADDRESSES) {
      evictOne();
    }
    byAddress.put(key, new Failures(count, clock.instant()));
    return count;
  }

  synchronized void recordSuccess(InetAddress address) {
    if (address != null) {
      byAddress.remove(AddressKeys.of(address));
    }
  }

  /** How many addresses are remembered. */
  synchronized int size() {
    return byAddress.size();
  }

  /** Drops an expired entry, or else the one with the fewest failures, oldest first. */
  private void evictOne() {
    Instant expired = clock.instant().minus(Duration.ofMinutes(WINDOW_MINUTES));
    InetAddress victim = null;
    Failures least = null;
    for (Map.Entry<InetAddress, Failures> e : byAddress.entrySet()) {
      Failures f = e.getValue();
      if (f.last.isBefore(expired)) {
        victim = e.getKey();
        break;
      }
      if (least == null || f.count < least.count || (f.count == least.count && f.last.isBefore(least.last))) {
        least = f;
        victim = e.getKey();
      }
    }
    byAddress.remove(victim);
  }

  /** How long a new connection from {@code address} waits. */
  synchronized Duration penalty(InetAddress address) {
    Failures f = address == null ? null : current(AddressKeys.of(address));
    if (f == null) {
      return Duration.ZERO;
    }
    long millis = BASE_PENALTY_MILLIS << Math.min(f.count - 1, 20);
    return Duration.ofMillis(Math.min(MAX_PENALTY_MILLIS, millis));
  }

  private Failures current(InetAddress address) {
    Failures f = byAddress.get(address);
    if (f != null && f.last.plus(Duration.ofMinutes(WINDOW_MINUTES)).isBefore(clock.instant())) {
      byAddress.remove(address);
      return null;
    }
    return f;
  }
}
