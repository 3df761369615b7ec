package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.ConnectionFailure;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.PeerLink;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a peer's coming and going changes: a session opened (our index sent from where the peer
 * has seen it, theirs asked for if we are behind, waiting pulls retried), a session closed, a
 * peer that could not be reached, and a peer forgotten. Control thread: {@link Engine} hops the
 * transport's callbacks here.
 */
final class PeerEvents {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Engine engine;

  PeerEvents(Engine engine) {
    this.engine = engine;
  }

  void connected(PeerLink link, Hello theirs) {
    if (engine.closed()) {
      link.close("shutting down");
      return;
    }
    DeviceId peer = link.peer();
    PeerSession old = engine.peers.session(peer);
    if (old != null && old.link != link) {
      old.link.close("replaced by a newer connection");
    }
    long last = engine.commits.lastSequence();
    long from = theirs.seenOfYou().epoch() == engine.epoch() ? Math.min(theirs.seenOfYou().sequence(), last) : 0;
    PeerSession session = new PeerSession(link, theirs, from);
    engine.peers.connect(session, theirs.deviceName());
    engine.reporter.reached(peer, link.dialedAddress());
    log.debug("connected to {} ({}), sending our index from sequence {}", theirs.deviceName(), peer.shortId(), from);
    engine.receiver.resumeIfBehind(session, theirs);
    engine.reporter.emit(new SyncEvent.PeerConnected(peer, theirs.deviceName()));
    engine.sender.push(session);
    // Paths that failed while no peer could serve them (a link lost mid-download, or needs
    // rebuilt at start-up before any peer was connected) may go now, not after their back-off.
    engine.puller.retryAllNow();
    engine.updateStatus();
    engine.puller.pump();
  }

  void disconnected(PeerLink link, DisconnectReason why, String detail) {
    if (engine.peers.current(link) != null) {
      engine.peers.disconnect(link.peer());
      engine.peers.problem(link.peer(), why, detail);
      engine.reporter.emit(new SyncEvent.PeerDisconnected(link.peer(), why, detail));
      engine.updateStatus();
    }
  }

  void connectionFailed(ConnectionFailure failure) {
    if (engine.closed()) {
      return;
    }
    // Reported when the reason changes, per known peer and per address, not at every retry.
    boolean changed = engine.reporter.unreached(failure);
    if (failure.peer().isPresent() && engine.peers.session(failure.peer().get()) == null) {
      changed |= engine.peers.problem(failure.peer().get(), failure.reason(), failure.detail());
    }
    if (changed) {
      engine.reporter.emit(new SyncEvent.PeerUnreachable(failure.peer(), failure.address(), failure.reason(),
          failure.detail()));
    }
    engine.updateStatus();
  }

  /**
   * Forgets {@code peer}: its records and index position go from the store, and it is no longer
   * known. What was needed only because it offered it is needed no more.
   *
   * @throws IllegalStateException if it is connected
   * @throws NoSuchElementException if no known device is {@code peer}
   */
  void forget(DeviceId peer) {
    if (engine.peers.session(peer) != null) {
      throw new IllegalStateException(peer.shortId() + " is connected now");
    }
    if (!engine.peers.known().contains(peer)) {
      throw new NoSuchElementException("no known device is " + peer.shortId());
    }
    engine.commits.write(new StoreBatch().clearRemote(peer));
    engine.peers.forget(peer);
    if (engine.changes.firstScanDone()) {
      engine.puller.redecideNeeds(); // before the first scan ends, that scan's own re-decision does it
    }
    engine.updateStatus();
    engine.puller.pump();
  }
}
