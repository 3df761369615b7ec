package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiving peers' indexes. A batch is checked against the position held for the peer: records
 * already held are skipped; after a gap the peer is asked to resume from that position (and asked
 * again until a batch that continues arrives). A batch that continues is stored with the new
 * position in one store batch, and every record is put to the rule ({@link Puller#consider}),
 * unless it goes beyond what one peer may make this node hold ({@link PeerIndexLimits}): then it
 * is refused whole and the link closed.
 *
 * <p>Threads: the control thread, except {@link #helloFor} (the transport's thread).
 */
final class IndexReceiver {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** How long a receiver waits for a resumed index stream before asking again. */
  static final Duration RESUME_RETRY = Duration.ofSeconds(1);

  private final Engine engine;
  private final IndexStore store;
  private final Scheduler control;
  private final PeerIndexLimits limits;
  /**
   * The position of each peer's index our last hello to it announced. The transport asks for a
   * hello on its own thread, while batches from an older link to the same peer may still wait
   * on the control thread; once they are stored, the peer's new session would start from
   * behind what we hold. {@link #resumeIfBehind} then asks it to go on from where we are.
   */
  private final Map<DeviceId, IndexPosition> helloPositions = new ConcurrentHashMap<>();

  IndexReceiver(Engine engine, IndexStore store, Scheduler control, SyncOptions options) {
    this.engine = engine;
    this.store = store;
    this.control = control;
    this.limits = new PeerIndexLimits(store, options.maxPeerRecords(), options.maxPeerFileBytes(),
        PeerIndexLimits.heapShare());
  }

  /** The hello for {@code peer}: our index and how far we hold the peer's. Transport thread. */
  Hello helloFor(DeviceId peer, String deviceName, long epoch, long lastSequence) {
    IndexPosition seen = store.position(peer);
    helloPositions.put(peer, seen);
    return new Hello(deviceName, epoch, lastSequence, seen);
  }

  /** A new session: if batches of the link it replaces landed after our hello, skip what we have. */
  void resumeIfBehind(PeerSession session, Hello theirs) {
    DeviceId peer = session.link.peer();
    IndexPosition announced = helloPositions.remove(peer);
    IndexPosition held = store.position(peer);
    if (announced != null && !announced.equals(held) && held.epoch() == theirs.indexEpoch()) {
      requestResume(session, held.epoch(), held.sequence());
    }
  }

  /** Applies a batch from {@code session}'s peer; a batch that breaks the rules closes the link. */
  void receive(PeerSession session, IndexUpdate update) {
    try {
      receiveIndex(session, update);
    } catch (RuntimeException e) {
      DeviceId peer = session.link.peer();
      engine.reporter.report(Optional.empty(), dev.jsync.core.SyncEvent.Error.Category.PEER, "index from " + peer.shortId() + " rejected: " + e.getMessage(), e);
      session.link.close("index rejected: " + e.getMessage());
    }
  }

  private void receiveIndex(PeerSession session, IndexUpdate update) {
    DeviceId peer = session.link.peer();
    IndexPosition pos = store.position(peer);
    StoreBatch batch = new StoreBatch();
    boolean startsOver = false;
    if (update.indexEpoch() != pos.epoch()) {
      if (update.previousSequence() != 0) {
        // A stream of an index we hold nothing of, not from its start: ask for all of it.
        askToResume(session, update, update.indexEpoch(), 0);
        return;
      }
      // The peer's index is new to us (first contact, or it was reset): start over.
      batch.clearRemote(peer);
      startsOver = true;
      pos = new IndexPosition(update.indexEpoch(), 0);
    }
    if (update.previousSequence() > pos.sequence()) {
      askToResume(session, update, pos.epoch(), pos.sequence());
      return;
    }
    // From here the batch continues what we hold, or overlaps it (a new link that started from
    // an older position than we reached, a batch delivered twice). Records up to our position
    // were all received already, each as the latest version of its path at the time: skip them.
    long held = pos.sequence();
    session.resumeAsked = -1;
    Engine.cancel(session.resumeTimer);
    session.resumeTimer = null;
    List<FileRecord> fresh = update.previousSequence() == held ? update.records()
        : update.records().stream().filter(r -> r.sequence() > held).toList();
    if (update.lastSequence() <= held && fresh.isEmpty()) {
      return; // nothing we do not have
    }
    PeerIndexLimits.Held records = limits.check(peer, startsOver, fresh); // refuses the batch before anything is kept
    engine.puller.addInline(update.inline());
    for (FileRecord r : fresh) {
      batch.putRemote(peer, r);
    }
    engine.peers.addKnown(peer);
    batch.setPosition(peer, new IndexPosition(update.indexEpoch(), Math.max(held, update.lastSequence())));
    engine.commits.write(batch);
    limits.stored(peer, records);
    session.peerSequence = Math.max(session.peerSequence, update.lastSequence());
    StoreBatch adopts = new StoreBatch();
    boolean localChanged = false;
    for (FileRecord r : fresh) {
      localChanged |= engine.puller.consider(peer, r, adopts);
    }
    if (!adopts.isEmpty()) {
      engine.commits.write(adopts);
    }
    if (localChanged) {
      engine.sender.pushAll();
    }
    engine.updateStatus();
    engine.puller.pump();
  }

  /**
   * A batch does not continue from what we hold of the peer's index: rather than drop the link
   * and every transfer on it, ask the peer to go on from our position. Batches already on their
   * way from the old position start beyond the one that made us ask, and are dropped without
   * asking again until the resumed stream arrives (it covers them). A gapped batch that starts
   * no later than that one belongs to the resumed stream (whose own start went missing): ask
   * again.
   */
  private void askToResume(PeerSession session, IndexUpdate update, long epoch, long sequence) {
    if (update.indexEpoch() == session.hello.indexEpoch()) {
      // The peer has sent up to here: its hello may have announced less. The retry asks again
      // while we hold less than this, so the records the gap lost count as missing even when no
      // request gets an answer (lost, or made before the loss, when there was nothing to resend).
      session.peerSequence = Math.max(session.peerSequence, update.lastSequence());
    }
    if (session.resumeAsked == sequence && update.previousSequence() > session.resumeTrigger) {
      return;
    }
    session.resumeTrigger = update.previousSequence();
    log.debug("index from {} does not continue from {} (batch after {}): asking it to resume",
        session.link.peer().shortId(), sequence, update.previousSequence());
    requestResume(session, epoch, sequence);
  }

  /**
   * Asks {@code session}'s peer to send its index from after {@code sequence}, and again every
   * {@link #RESUME_RETRY} until a batch that continues from what we hold arrives: a resumed
   * stream can be cut too, and a sender that believes it sent everything sends nothing more.
   */
  private void requestResume(PeerSession session, long epoch, long sequence) {
    session.resumeAsked = sequence;
    session.link.requestIndexFrom(epoch, sequence);
    Engine.cancel(session.resumeTimer);
    session.resumeTimer = control.schedule(() -> {
      session.resumeTimer = null;
      if (!engine.closed() && session.resumeAsked >= 0 && engine.peers.session(session.link.peer()) == session) {
        IndexPosition pos = store.position(session.link.peer());
        if (pos.epoch() == session.hello.indexEpoch() && pos.sequence() >= session.peerSequence) {
          session.resumeAsked = -1; // we hold all the peer has announced: nothing is missing
          return;
        }
        session.resumeTrigger = -1;
        requestResume(session, pos.epoch(), pos.sequence());
      }
    }, RESUME_RETRY);
  }
}
