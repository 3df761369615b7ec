package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.transport.PeerLink;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The peers this node knows: the session of each connected one, the names they gave, why each
 * one that is not connected is not, and every peer the store holds anything of (kept here so hot
 * paths need not ask the store). Control thread.
 */
final class Peers {

  /** Why a known peer is not connected. */
  record Problem(DisconnectReason reason, String detail) {
  }

  private final Map<DeviceId, Problem> problems = new HashMap<>();

  private final Map<DeviceId, PeerSession> sessions = new HashMap<>();
  private final Map<DeviceId, String> names = new HashMap<>();
  /** In device order: where peers' versions tie, the first one's is taken. */
  private final Set<DeviceId> known = new TreeSet<>();

  /** The session of {@code peer}, or null if it is not connected. */
  PeerSession session(DeviceId peer) {
    return sessions.get(peer);
  }

  /** The session of {@code link}, or null if that link is not (or no longer) the peer's current one. */
  PeerSession current(PeerLink link) {
    PeerSession s = sessions.get(link.peer());
    return s != null && s.link == link ? s : null;
  }

  Collection<PeerSession> sessions() {
    return sessions.values();
  }

  boolean anyConnected() {
    return !sessions.isEmpty();
  }

  /** Makes {@code session} its peer's current one. */
  void connect(PeerSession session, String name) {
    DeviceId peer = session.link.peer();
    sessions.put(peer, session);
    known.add(peer);
    names.put(peer, name);
    problems.remove(peer);
  }

  void disconnect(DeviceId peer) {
    sessions.remove(peer);
  }

  /**
   * Notes why {@code peer} is not connected. Returns whether that changes what was noted (a retry
   * that fails the same way does not).
   */
  boolean problem(DeviceId peer, DisconnectReason reason, String detail) {
    Problem old = problems.put(peer, new Problem(reason, detail));
    return old == null || old.reason() != reason;
  }

  /** Why {@code peer} is not connected, if known; empty while it is. */
  Optional<Problem> problem(DeviceId peer) {
    return sessions.containsKey(peer) ? Optional.empty() : Optional.ofNullable(problems.get(peer));
  }

  void closeAll() {
    sessions.clear();
  }

  /** Every peer the store holds anything of, in device order. */
  Set<DeviceId> known() {
    return known;
  }

  void addKnown(DeviceId peer) {
    known.add(peer);
  }

  /** {@code peer} is known no more (it is not connected). */
  void forget(DeviceId peer) {
    known.remove(peer);
    names.remove(peer);
    problems.remove(peer);
  }

  String name(DeviceId peer) {
    return names.getOrDefault(peer, "");
  }
}
