package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.core.transport.RecordTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending the local index, per peer: each session sends from the peer's position (from its
 * hello, or where it asked to resume) onwards, one batch in flight at a time, and again
 * whenever the sequence grows. Records the peer itself sent us are left out; small files saved
 * while the peer is connected travel inline with their records.
 *
 * <p>Threads: the control thread; the inline files are read on an I/O thread.
 */
final class IndexSender {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** How long a batch that would only move the peer's position may wait for company. */
  static final Duration POSITION_DELAY = Duration.ofMillis(250);
  /** Files of at most this size travel with their index records while peers are connected. */
  static final int INLINE_FILE_BYTES = 16 * 1024;
  /** At most this many bytes of file content go with one index push. */
  static final int INLINE_BYTES_PER_PUSH = 2 << 20;
  /** The first wait before a failed index send is tried again; it doubles with each failure in a row. */
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);
  /** The longest wait before a failed index send is tried again. */
  static final Duration RETRY_MAX = Duration.ofMinutes(1);

  private final Engine engine;
  private final DiskView disk;
  private final IndexStore store;
  private final Scheduler control;
  private final Executor io;
  private final SyncOptions options;

  IndexSender(Engine engine, DiskView disk, IndexStore store, Scheduler control, Executor io, SyncOptions options) {
    this.engine = engine;
    this.disk = disk;
    this.store = store;
    this.control = control;
    this.io = io;
    this.options = options;
  }

  void pushAll() {
    for (PeerSession s : engine.peers.sessions()) {
      push(s);
    }
  }

  /** The peer asked for our index from {@code afterSequence} of {@code indexEpoch} on. */
  void resendFrom(PeerSession s, long indexEpoch, long afterSequence) {
    long from = indexEpoch == engine.epoch() ? Math.min(afterSequence, engine.commits.lastSequence()) : 0;
    log.debug("{} asks for our index from sequence {}", s.link.peer().shortId(), from);
    if (s.sending) {
      s.resendFrom = from; // the batch on its way must not move the position past this
    } else {
      s.sentUpTo = from;
    }
    s.scannedUpTo = Math.min(s.scannedUpTo, from);
    push(s);
  }

  /**
   * Sends {@code s}'s peer the next part of the local index it lacks. Records the peer itself
   * sent us are left out (echoing them changes nothing), and a batch that would carry nothing
   * but a new position waits up to {@link #POSITION_DELAY}: while a peer is pulling, every
   * group of files it commits would otherwise cost a message and a synced write on each side.
   */
  void push(PeerSession s) {
    if (s.sending || s.sendRetry != null || engine.closed() || engine.paused() || engine.commits.holdsUnsent()) {
      return; // staged commits are not in the store yet; their landing pushes again
    }
    // The store's last sequence, not the counter: a change being recorded may have taken
    // numbers that are not in the store yet, and announcing them would skip their records.
    // What the store holds is always a prefix of the sequence (flights land in order, and any
    // other write lands them first); records a flight landing meanwhile adds past this point
    // wait for the next push.
    long stored = store.lastSequence();
    if (s.sentUpTo >= stored) {
      s.caughtUp |= engine.changes.firstScanDone();
      return;
    }
    int limit = options.indexBatchRecords();
    DeviceId peer = s.link.peer();
    List<FileRecord> useful = new ArrayList<>();
    // Records whose content the peer announced itself (an adoption of its history, a merge):
    // it holds those bytes, so they never travel inline.
    Set<RelativePath> theyHaveContent = new HashSet<>();
    // Records up to scannedUpTo were all echoes the peer has; do not read them again.
    long upTo = Math.max(s.sentUpTo, s.scannedUpTo);
    while (true) {
      List<FileRecord> records = store.localSince(upTo, limit);
      upTo = records.size() < limit ? stored : Math.min(stored, records.get(records.size() - 1).sequence());
      for (FileRecord r : records) {
        if (r.sequence() > stored) {
          break;
        }
        if (s.unsendable.contains(r.sequence())) {
          continue; // reported when it failed; the peer's position moves past it
        }
        Optional<FileRecord> theirs = store.remote(peer, r.path());
        if (theirs.isEmpty() || !theirs.get().sameVersionAs(r)) {
          useful.add(r);
          if (theirs.isPresent() && theirs.get().isLiveFile() && theirs.get().contentHash().equals(r.contentHash())) {
            theyHaveContent.add(r.path());
          }
        }
      }
      if (!useful.isEmpty() || records.size() < limit || upTo >= stored) {
        break;
      }
    }
    if (useful.isEmpty() && !s.positionDue) {
      s.scannedUpTo = upTo;
      if (s.positionTimer == null) {
        s.positionTimer = control.schedule(() -> {
          s.positionTimer = null;
          s.positionDue = true;
          push(s);
        }, POSITION_DELAY);
      }
      return;
    }
    s.positionDue = false;
    long sentTo = upTo;
    IndexUpdate update = new IndexUpdate(engine.epoch(), s.sentUpTo, sentTo, useful);
    s.sending = true;
    // Inline only once the peer's own index, as it stood at the hello, is here: before that,
    // a record the peer has not announced may be a file it holds all the same.
    IndexPosition read = store.position(peer);
    boolean theirsRead = s.hello.lastSequence() == 0
        || (read.epoch() == s.hello.indexEpoch() && read.sequence() >= s.hello.lastSequence());
    List<FileRecord> small = s.caughtUp && theirsRead
        ? inlineCandidates(useful.stream().filter(r -> !theyHaveContent.contains(r.path())).toList())
        : List.of();
    if (small.isEmpty()) {
      send(s, update, sentTo);
      return;
    }
    io.execute(() -> {
      List<InlineBlock> blocks = readInline(small);
      engine.post(() -> {
        if (engine.closed() || engine.peers.session(s.link.peer()) != s) {
          s.sending = false;
          return;
        }
        log.debug("to {}: {} records with {} of their files inline", s.link.peer().shortId(),
            update.records().size(), blocks.size());
        send(s, new IndexUpdate(update.indexEpoch(), update.previousSequence(), update.lastSequence(),
            update.records(), blocks), sentTo);
      });
    });
  }

  private void send(PeerSession s, IndexUpdate update, long sentTo) {
    s.link.sendIndex(update).whenComplete((ok, err) -> engine.post(() -> {
      s.sending = false;
      if (s.resendFrom >= 0) {
        s.sentUpTo = s.resendFrom;
        s.resendFrom = -1;
        push(s);
      } else if (err == null) {
        s.sendFailures = 0;
        s.sentUpTo = sentTo;
        s.caughtUp |= engine.changes.firstScanDone() && sentTo >= store.lastSequence();
        push(s);
      } else {
        failed(s, update, err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
      }
    }));
  }

  /**
   * A batch was not sent. Nothing of it reached the peer, whose position stays where it was. A
   * record that alone cannot fit a frame is reported for its path and left out from then on, and
   * the rest goes at once; any other failure, unless the link is gone (the next session starts
   * over from the peer's position), is reported and the same batch tried again after a back-off
   * of 1 s, doubling up to a minute, so that one bad record never stops the peer from hearing
   * of every later change.
   */
  private void failed(PeerSession s, IndexUpdate update, Throwable err) {
    DeviceId peer = s.link.peer();
    if (engine.closed() || engine.peers.session(peer) != s || err instanceof LinkClosedException) {
      return;
    }
    String name = engine.peers.name(peer).isEmpty() ? peer.shortId() : engine.peers.name(peer);
    if (err instanceof RecordTooLargeException big) {
      Optional<FileRecord> record = update.records().stream().filter(r -> r.path().equals(big.path())).findFirst();
      if (record.isPresent()) {
        s.unsendable.add(record.get().sequence());
        engine.reporter.report(Optional.of(big.path()), "cannot be announced to " + name + ": " + big.getMessage()
            + "; the rest of the index is sent without it", null);
        push(s);
        return;
      }
    }
    s.sendFailures++;
    Duration delay = RETRY_FIRST.multipliedBy(1L << Math.min(s.sendFailures - 1, 6));
    if (delay.compareTo(RETRY_MAX) > 0) {
      delay = RETRY_MAX;
    }
    engine.reporter.report(Optional.empty(), "sending the index to " + name + " failed (" + err
        + "); trying again in " + delay.toSeconds() + " s", err);
    s.sendRetry = control.schedule(() -> {
      s.sendRetry = null;
      if (engine.peers.session(peer) == s) {
        push(s);
      }
    }, delay);
  }

  /** The live files among {@code records} small enough to send along, within one push's budget. */
  private static List<FileRecord> inlineCandidates(List<FileRecord> records) {
    List<FileRecord> out = new ArrayList<>();
    long budget = INLINE_BYTES_PER_PUSH;
    for (FileRecord r : records) {
      if (r.isLiveFile() && r.size() > 0 && r.size() <= INLINE_FILE_BYTES && r.blocks().size() == 1
          && r.size() <= budget) {
        out.add(r);
        budget -= r.size();
      }
    }
    return out;
  }

  /**
   * Reads the small files to send along, each only if it still hashes to its record's block:
   * what goes to a peer is what the index says is there, read without following a link at the
   * file or above it (as {@link BlockServer} serves blocks). A file changed since its scan is
   * left out and simply requested later. I/O thread.
   */
  private List<InlineBlock> readInline(List<FileRecord> small) {
    List<InlineBlock> out = new ArrayList<>(small.size());
    MessageDigest md = Sha256.newDigest();
    for (FileRecord r : small) {
      // Never more than the record's size: a file that grew since is left to a request.
      ByteBuffer buf = ByteBuffer.allocate((int) r.size() + 1);
      try (var ch = disk.openForReading(r.path())) {
        ch.readFully(buf, 0);
        if (buf.position() == r.size()) {
          byte[] data = Arrays.copyOf(buf.array(), (int) r.size());
          md.reset();
          if (r.blocks().get(0).hash().matches(md.digest(data))) {
            out.add(new InlineBlock(r.blocks().get(0).hash(), data));
          }
        }
      } catch (IOException | RuntimeException e) {
        // Gone, unreadable or a link now: the peer requests it, and hears why.
      }
    }
    return out;
  }
}
