package dev.jsync.core.internal;

import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.NameProblem;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.InlineBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulling: which paths a peer's version should replace (the needs), and working them off. A
 * need names a path only; when its turn comes, the target is chosen afresh from the peers'
 * current records ({@link Reconciler#choose}). Files are fetched by a {@link Pull} each, within
 * a byte budget shared by all pulls; folders, links, deletes and metadata changes are applied at
 * once ({@link Applier}). Deletes go last, deepest first. Control thread.
 */
final class Puller {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Engine engine;
  private final DeviceId self;
  private final IndexStore store;
  private final Scheduler control;
  private final Clock clock;
  private final SyncOptions options;
  private final Reconciler reconciler;

  private final Needs needs = new Needs();
  /** Paths with a {@link Pull} under way. */
  private final Set<RelativePath> pulling = new HashSet<>();
  /** Block bytes requested by all pulls and not yet received. */
  private long bytesInFlight;
  /** Block bytes that came with peers' index records, for the pulls that need them (8 MiB at most). */
  private final InlineBlocks inline = new InlineBlocks(8L << 20);
  private Scheduler.Cancellable pumpTimer;
  private final LeftTemps leftTemps;
  private final PullFailures failures;

  Puller(Engine engine, DeviceId self, IndexStore store, Scheduler control, Clock clock, SyncOptions options) {
    this.engine = engine;
    this.self = self;
    this.store = store;
    this.control = control;
    this.clock = clock;
    this.options = options;
    this.reconciler = new Reconciler(options.resolver(), options.mergeable());
    this.leftTemps = new LeftTemps(engine.disk.disk());
    this.failures = new PullFailures(options, engine.reporter, engine::nowNanos);
  }

  Needs needs() {
    return needs;
  }

  InlineBlocks inline() {
    return inline;
  }

  void addInline(List<InlineBlock> blocks) {
    inline.addAll(blocks);
  }

  /** Every path needed or being pulled (a temp file of one may be resumed). */
  List<RelativePath> wantedPaths() {
    List<RelativePath> out = new ArrayList<>(needs.paths());
    out.addAll(pulling);
    return out;
  }

  /** Whether a pull of {@code path} is under way. */
  boolean isPulling(RelativePath path) {
    return pulling.contains(path);
  }

  /** Whether a pull into {@code folder} (or of it) is under way. */
  boolean pullingInto(RelativePath folder) {
    return pulling.stream().anyMatch(folder::contains);
  }

  void cancel() {
    Engine.cancel(pumpTimer);
  }

  /** A peer came back: what failed for want of one may go now, not after its back-off. */
  void retryAllNow() {
    needs.retryAllNow(engine.nowNanos());
  }

  /**
   * Puts one remote record to the rule. Adoptions (merged histories, nothing to move) go into
   * {@code adopts} when given; anything else to carry out becomes a need.
   *
   * @return whether the local index changed
   */
  boolean consider(DeviceId peer, FileRecord r, StoreBatch adopts) {
    if (engine.changes.ignores().isIgnoredWithAncestors(r.path(), !r.deleted() && r.kind() == FileKind.DIRECTORY)) {
      return false;
    }
    if (engine.names.unholdable(r.path()).isPresent()) {
      refuseUnholdable(r);
      return false;
    }
    if (r.deleted() && engine.names.isRefused(r.path()) && !offeredLive(r.path())) {
      engine.names.clear(r.path()); // the refused path is gone from every peer: no problem any more
    }
    Optional<LocalEntry> local = engine.commits.local(r.path());
    if (local.isEmpty() && r.deleted() && expiredHere(r)) {
      return false;
    }
    if (!(reconciler.decide(local.map(LocalEntry::record), r) instanceof Decision.Change change)) {
      return false;
    }
    if (adopts != null && local.isPresent() && change.changesNothingOnDisk(local.get().record())
        && !engine.commits.recordUnrecordedFirst(r.path())) {
      adopts.putLocal(new LocalEntry(recorded(change).withSequence(engine.commits.nextSequence()), local.get().stat()));
      return true;
    }
    needs.put(r.path(), peer, r.size(), r.deleted(), pulling.contains(r.path()), engine.nowNanos());
    return false;
  }

  /**
   * Whether {@code tombstone} is one of a delete whose own tombstone this node already held and
   * forgot once it expired: every peer known then had acknowledged it, so taking it again would
   * only make a new local version of an old delete (a new sequence, pushed to every peer) each
   * time the peers' records are read again, at every restart among others.
   */
  private boolean expiredHere(FileRecord tombstone) {
    return store.expired(tombstone.path()).map(v -> v.dominates(tombstone.version())).orElse(false);
  }

  /**
   * A peer's record of a path this platform cannot hold (NameGuard): reported while some peer
   * offers it, forgotten once none does. Never a need: it could only fail, again and again.
   */
  private void refuseUnholdable(FileRecord r) {
    if (offeredLive(r.path())) {
      engine.names.refuse(engine.names.unholdable(r.path()).orElseThrow());
    } else {
      engine.names.clear(r.path());
    }
  }

  /** Whether some peer's record of {@code path} is live. */
  private boolean offeredLive(RelativePath path) {
    return engine.peers.known().stream().anyMatch(p -> store.remote(p, path).map(x -> !x.deleted()).orElse(false));
  }

  /** Re-evaluates one path against every peer's record, e.g. after it changed locally. */
  void recheckPath(RelativePath path) {
    for (DeviceId peer : engine.peers.known()) {
      store.remote(peer, path).ifPresent(r -> consider(peer, r, null));
    }
    // A path refused because this one was in its way (a case variant) may fit now.
    List<RelativePath> blocked = engine.names.blockedBy(path);
    for (RelativePath b : blocked) {
      for (DeviceId peer : engine.peers.known()) {
        store.remote(peer, b).ifPresent(r -> consider(peer, r, null));
      }
    }
    if (!blocked.isEmpty()) {
      engine.post(this::pump); // called after a change landed, when nothing else pumps
    }
  }

  /** The record this device stores for {@code change}. */
  FileRecord recorded(Decision.Change change) {
    return change.recordedBy(self, clock.instant().getEpochSecond());
  }

  /** The best remote version to apply at {@code path} now, and the decision to apply it. */
  Optional<Reconciler.Choice> chooseTarget(RelativePath path) {
    Map<DeviceId, FileRecord> remotes = new LinkedHashMap<>();
    for (DeviceId peer : engine.peers.known()) {
      store.remote(peer, path).ifPresent(r -> remotes.put(peer, r));
    }
    return reconciler.choose(engine.commits.local(path).map(LocalEntry::record), remotes);
  }

  /**
   * Decides every need again once the start-up scan has recorded what the folder holds. Until
   * then a peer's record of a path that is here but not yet indexed looks like something to
   * fetch (pulls wait for the scan, see {@link #pump}); now that content is known, a copy made
   * before jSync ran (a vault copied to a second device) is adopted, in batches, with no data
   * moved, and what the peers no longer offer is dropped.
   */
  void redecideNeeds() {
    StoreBatch adopts = new StoreBatch();
    List<RelativePath> adopted = new ArrayList<>();
    NameGuard.Check names = engine.names.checkMany();
    for (RelativePath path : needs.paths()) {
      if (pulling.contains(path)) {
        continue;
      }
      Optional<Reconciler.Choice> choice = chooseTarget(path);
      Optional<LocalEntry> local = engine.commits.local(path);
      if (choice.isEmpty() || refusedHere(path, choice.get(), names)) {
        forget(path);
      } else if (local.isPresent() && choice.get().decision().changesNothingOnDisk(local.get().record())
          && !engine.commits.recordUnrecordedFirst(path)) {
        adopts.putLocal(new LocalEntry(recorded(choice.get().decision()).withSequence(engine.commits.nextSequence()),
            local.get().stat()));
        forget(path);
        adopted.add(path);
        if (adopts.size() >= 1000) {
          engine.commits.write(adopts);
          adopts = new StoreBatch();
        }
      }
    }
    if (!adopts.isEmpty()) {
      engine.commits.write(adopts);
    }
    if (!adopted.isEmpty()) {
      log.debug("{} files were here already with the same content as on the peers: adopted their history",
          adopted.size());
    }
    // Another peer's version of an adopted path, concurrent with the one adopted, may change it
    // still (with one peer, the record adopted is the only one, and follows from the adoption).
    if (engine.peers.known().size() > 1) {
      adopted.forEach(this::recheckPath);
    }
  }

  /**
   * Whether writing {@code choice} at {@code path} is refused here for its name (NameGuard), as
   * {@link #start} would find once a peer is connected: then it is reported now. Refusals are
   * kept in memory only; this finds them again at start, from the peers' records and the disk,
   * so that a restarted node lists the same ones whether or not a peer is online.
   */
  private boolean refusedHere(RelativePath path, Reconciler.Choice choice, NameGuard.Check names) {
    if (!(choice.decision() instanceof Decision.Apply apply) || apply.result().deleted()) {
      return false;
    }
    try {
      Optional<NameProblem> problem = names.problemWith(path);
      problem.ifPresent(engine.names::refuse);
      return problem.isPresent();
    } catch (IOException e) {
      return false; // a pull of it will look again
    }
  }

  /** Starts what may start now: pulls within the limits, then deletes once no pull is left. */
  void pump() {
    if (engine.closed() || !engine.started() || engine.paused()) {
      return;
    }
    long now = engine.nowNanos();
    long nextRetry = needs.promote(now);
    if (!engine.changes.firstScanDone()) {
      // Until the start-up scan has recorded the folder, a path here but not yet indexed looks
      // like one to fetch (or delete): wait for it, then decide again (redecideNeeds).
      return;
    }
    // With no peer connected there is nothing to fetch from: rather than fail (and warn about)
    // every path in turn, wait; a connection pumps again. Deletes below need no peer.
    while (engine.peers.anyConnected() && pulling.size() < options.maxFilesInFlight()) {
      Need n = needs.pollReady();
      if (n == null) {
        break;
      }
      if (!pulling.contains(n.path)) {
        start(n);
      }
    }
    // Deletes go last, deepest first: a pull may still take blocks from a file about to be
    // deleted (a rename is a delete plus a create), and a folder empties before it goes.
    while (pulling.isEmpty() && !needs.hasReady()) {
      Need n = needs.pollDelete();
      if (n == null) {
        break;
      }
      start(n);
    }
    if (pulling.isEmpty() && needs.size() == 0 && inline.bytes() > 0) {
      inline.clear(); // what no pull took (content this node had already): not kept while idle
    }
    if (nextRetry != 0 && pumpTimer == null) {
      pumpTimer = control.schedule(() -> {
        pumpTimer = null;
        pump();
      }, Duration.ofNanos(Math.max(0, nextRetry - now)));
    }
    engine.updateStatus();
  }

  private void start(Need need) {
    RelativePath path = need.path;
    Optional<Reconciler.Choice> choice = chooseTarget(path);
    if (choice.isEmpty()) {
      forget(path);
      engine.applier.madeForDownloads.removeEmptyDeleted(path.parent()); // an abandoned download's folder
      return;
    }
    DeviceId from = choice.get().from();
    Decision.Change change = choice.get().decision();
    Optional<LocalEntry> before = engine.commits.local(path);
    if (before.isPresent() && change.changesNothingOnDisk(before.get().record())) {
      if (engine.commits.recordUnrecordedFirst(path)) {
        forget(path); // decided again once what the disk holds is recorded
        return;
      }
      engine.commits.write(new StoreBatch().putLocal(
          new LocalEntry(recorded(change).withSequence(engine.commits.nextSequence()), before.get().stat())));
      forget(path);
      recheckPath(path); // another peer's version, concurrent with the one adopted, may change it still
      engine.post(this::pump);
      engine.sender.pushAll();
      return;
    }
    Decision.Apply apply = (Decision.Apply) change; // an Adopt changes nothing on disk
    FileRecord target = apply.result();
    if (!target.deleted()) {
      try {
        Optional<NameProblem> problem = engine.names.problemWith(path);
        if (problem.isPresent()) {
          // Another path here has its name on this disk: refused, reported, and the other left alone.
          engine.names.refuse(problem.get());
          forget(path);
          return;
        }
        engine.applier.makeFoldersAbove(path, from);
      } catch (IOException | RuntimeException e) {
        failed(need, e);
        return;
      }
    }
    Optional<LocalEntry> local = engine.commits.local(path);
    if (!target.deleted() && target.kind() == FileKind.FILE
        && !(local.isPresent() && local.get().record().isLiveFile()
            && local.get().record().contentHash().equals(target.contentHash()) && apply.conflictCopy().isEmpty())) {
      pulling.add(path);
      Pull pull = new Pull(engine, need, from, apply);
      leftTemps.drop(path, pull.temp());
      pull.begin();
      return;
    }
    // Folders, links, deletes and metadata-only changes: short disk operations, done here.
    try {
      engine.applier.applyInPlace(apply, from);
    } catch (IOException | RuntimeException e) {
      failed(need, e);
    }
    needs.requeue(path, engine.nowNanos()); // unless resolved
  }

  /** A pull of {@code path} ended (done or given up): the path may be pulled again. */
  void ended(RelativePath path) {
    pulling.remove(path);
  }

  /** Whether a request for {@code bytes} fits the shared budget ({@code alone}: the pull has none out, so it may). */
  boolean fits(long bytes, boolean alone) {
    return alone || bytesInFlight + bytes <= options.maxBytesInFlight();
  }

  void take(long bytes) {
    bytesInFlight += bytes;
  }

  void release(long bytes) {
    bytesInFlight -= bytes;
  }

  /** Puts a need back in line after its pull ended without resolving it. */
  void requeue(RelativePath path) {
    needs.requeue(path, engine.nowNanos());
  }

  /** Delays {@code path}'s next attempt by a quiet window (the disk changed under it). */
  void delay(RelativePath path) {
    Need n = needs.get(path);
    if (n != null) {
      n.notBeforeNanos = engine.nowNanos() + options.quietWindow().toNanos();
    }
  }

  /** {@code path} is resolved: it holds what the peers want. */
  void resolved(RelativePath path) {
    forget(path);
  }

  /** A pull of {@code path} failed and left {@code temp} (which may not exist) for a retry to resume. */
  void leftTemp(RelativePath path, Path temp) {
    leftTemps.left(path, temp);
  }

  /** {@code path} needs nothing any more: no temp file of it can be resumed. */
  private void forget(RelativePath path) {
    needs.remove(path);
    leftTemps.drop(path, null);
  }

  /** A pull or apply failed: retry after a back-off growing with the failures. */
  void failed(Need need, Throwable e) {
    failures.failed(need, e);
    if (!pulling.contains(need.path)) {
      needs.requeue(need.path, engine.nowNanos());
    }
    engine.post(this::pump);
  }
}
