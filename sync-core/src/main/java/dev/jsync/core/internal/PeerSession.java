package dev.jsync.core.internal;

import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.PeerLink;

/**
 * The engine's state for one connected peer: the link, what the peer said in its hello, and how
 * far this node's index has been sent to it. Confined to the engine's control thread.
 */
final class PeerSession {

  final PeerLink link;
  final Hello hello;
  /** The peer has read our index up to here (sent and handed to the network). */
  long sentUpTo;
  /** Local records up to here were read and found to be echoes of the peer's own (not sent yet). */
  long scannedUpTo;
  /** An index batch is on its way; the next waits for it (back-pressure). */
  boolean sending;
  /** The peer's own last sequence, as it last told us. */
  long peerSequence;
  /** A position-only batch is waiting to be sent (see {@code IndexSender.push}). */
  dev.jsync.core.Scheduler.Cancellable positionTimer;
  /** The wait is over: send even a batch without records. */
  boolean positionDue;
  /**
   * Everything this node held, once its start-up scan was done, has been sent: what comes now is
   * news, whose small files travel with their records (not a first contact's whole folder, which
   * the peer may well have already).
   */
  boolean caughtUp;
  /**
   * The peer asked for our index from here while a batch was on its way: once that batch is
   * handed over, sending goes on from here instead of from its end. -1 when not asked.
   */
  long resendFrom = -1;
  /**
   * We asked the peer to resume its index from this sequence of ours and wait for a batch that
   * continues from what we hold; -1 when not waiting.
   */
  long resumeAsked = -1;
  /** Where the batch that made us ask to resume started (its previous sequence). */
  long resumeTrigger = -1;
  /** Asks again if the resumed stream does not arrive; null when not waiting. */
  dev.jsync.core.Scheduler.Cancellable resumeTimer;

  /**
   * Sequences of local records that cannot be sent to this peer (each alone is larger than a
   * frame): reported once, then left out of every batch. A new version of the path has a new
   * sequence and is tried again.
   */
  final java.util.Set<Long> unsendable = new java.util.HashSet<>();
  /** Index sends that failed in a row (not for a record too large), for the retry's back-off. */
  int sendFailures;
  /** The retry of a failed index send, or null. */
  dev.jsync.core.Scheduler.Cancellable sendRetry;

  PeerSession(PeerLink link, Hello hello, long sentUpTo) {
    this.link = link;
    this.hello = hello;
    this.sentUpTo = sentUpTo;
    this.peerSequence = hello.lastSequence();
  }
}
