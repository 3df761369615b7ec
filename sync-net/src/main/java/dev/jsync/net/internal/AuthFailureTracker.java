package dev.jsync.net.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent failed authentications per remote address, to slow down whoever keeps guessing: a new
 * connection from an address with {@code n} recent failures waits {@code 250 ms × 2^(n-1)},
 * at most {@value #MAX_PENALTY_MILLIS} ms, before its TLS handshake is even read. Failures are
 * forgotten {@value #WINDOW_MINUTES} minutes after the last one, or at the first success; at most
 * {@value #MAX_ADDRESSES} addresses are remembered (the least recently failing are dropped), so
 * the tracker itself cannot be flooded.
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
  private final Map<InetAddress, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  AuthFailureTracker(Clock clock) {
    this.clock = clock;
  }

  /** Records a failure; returns the number of recent failures from {@code address}. */
  synchronized int recordFailure(InetAddress address) {
    if (address == null) {
      return 0;
    }
    Failures f = current(address);
    int count = f == null ? 1 : f.count + 1;
    byAddress.put(address, new Failures(count, clock.instant()));
    return count;
  }

  synchronized void recordSuccess(InetAddress address) {
    if (address != null) {
      byAddress.remove(address);
    }
  }

  /** How long a new connection from {@code address} waits. */
  synchronized Duration penalty(InetAddress address) {
    Failures f = address == null ? null : current(address);
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
