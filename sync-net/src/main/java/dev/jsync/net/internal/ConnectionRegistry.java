package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The authenticated connections of one node, at most one per peer. When two connections to
 * the same peer authenticate (both devices dialed each other at once, or a peer reconnected
 * before the old connection was noticed dead) one rule, applied identically on both ends, picks
 * the survivor:
 *
 * <ol>
 *   <li>the connection dialed by the device with the smaller id wins;</li>
 *   <li>if both were dialed by the same device, the newer wins (the older is most likely dead).</li>
 * </ol>
 *
 * <p>Thread-safe.
 */
final class ConnectionRegistry {

  private final DeviceId self;
  private final Map<DeviceId, Connection> byPeer = new HashMap<>();
  private final List<Consumer<DeviceId>> goneListeners = new CopyOnWriteArrayList<>();

  ConnectionRegistry(DeviceId self) {
    this.self = self;
  }

  /**
   * Registers an authenticated connection.
   *
   * @return the connection that must now close: {@code candidate} itself if the existing one
   *     wins, the existing one if {@code candidate} replaces it, or null if there was none
   */
  synchronized Connection register(Connection candidate) {
    Connection existing = byPeer.get(candidate.peer());
    if (existing == null) {
      byPeer.put(candidate.peer(), candidate);
      return null;
    }
    if (prefers(candidate.dialer(), candidate.serial, existing.dialer(), existing.serial)) {
      byPeer.put(candidate.peer(), candidate);
      return existing;
    }
    return candidate;
  }

  /** Rule above: true if connection A (dialed by {@code dialerA}) beats connection B. */
  static boolean prefers(DeviceId dialerA, long serialA, DeviceId dialerB, long serialB) {
    int byDialer = dialerA.compareTo(dialerB);
    return byDialer != 0 ? byDialer < 0 : serialA > serialB;
  }

  synchronized boolean has(DeviceId peer) {
    return byPeer.containsKey(peer);
  }

  void remove(Connection c) {
    boolean removed;
    synchronized (this) {
      removed = c.peer() != null && byPeer.remove(c.peer(), c);
    }
    if (removed) {
      goneListeners.forEach(l -> l.accept(c.peer()));
    }
  }

  /** {@code listener} learns of every peer whose registered connection went away. */
  void onPeerGone(Consumer<DeviceId> listener) {
    goneListeners.add(listener);
  }

  DeviceId self() {
    return self;
  }
}
