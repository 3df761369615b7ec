package dev.jsync.net.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps on accepted connections that have not authenticated yet, in all and per remote address
 * ({@link AddressKeys}): each TLS handshake costs the node CPU and memory before it knows who is
 * there, so a stranger opening connections by the thousand gets at most these many at a time,
 * and the rest are closed as they are accepted. A slot is held from accept until the connection
 * authenticates or closes (the handshake timeout closes one that stalls). Memory is bounded by
 * the global cap: an address is remembered only while it holds a slot.
 *
 * <p>Thread-safe.
 */
final class HandshakeSlots {

  private final int max;
  private final int maxPerAddress;
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();
  private int total;
  private long refused;

  HandshakeSlots(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot for a connection from {@code address}; false if a cap is reached. */
  synchronized boolean tryAcquire(InetAddress address) {
    InetAddress key = AddressKeys.of(address);
    int mine = byAddress.getOrDefault(key, 0);
    if (total >= max || mine >= maxPerAddress) {
      refused++;
      return false;
    }
    total++;
    byAddress.put(key, mine + 1);
    return true;
  }

  /** Gives back a slot taken by {@link #tryAcquire} (exactly once per slot). */
  synchronized void release(InetAddress address) {
    InetAddress key = AddressKeys.of(address);
    Integer mine = byAddress.get(key);
    if (mine == null) {
      throw new IllegalStateException("no slot held for " + address);
    }
    total--;
    if (mine == 1) {
      byAddress.remove(key);
    } else {
      byAddress.put(key, mine - 1);
    }
  }

  synchronized int inUse() {
    return total;
  }

  /** Connections refused so far. */
  synchronized long refused() {
    return refused;
  }
}
