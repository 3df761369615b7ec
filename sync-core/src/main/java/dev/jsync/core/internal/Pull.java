package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.PeerLink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pulling one file, a small state machine:
 *
 * <pre>
 *   begin (I/O: folders, temp file, blocks already here)
 *     ├─ nothing missing ──────────────────────────────► complete
 *     └─ request (control) ⇄ received (I/O: verify, write; the last one finishes the temp file)
 *          ├─ every block written and every reply in ──► complete (control: decide again, apply)
 *          └─ a failure ───────────────────────────────► fail: wait for the replies out, then retry later
 * </pre>
 *
 * <p>Threads: its fields are the control thread's, except {@link #unwritten} (I/O threads); the
 * {@link FileAssembly} is written on I/O threads.
 */
final class Pull {

  /** How often a failed pull looks whether its outstanding replies are in. */
  private static final Duration DRAIN_POLL = Duration.ofMillis(10);

  private final Engine engine;
  private final Need need;
  private final DeviceId from;
  private final FileRecord target;
  private final FileAssembly assembly;
  /** Blocks still to request, last first (removing from the end of the list is O(1)). */
  private final List<BlockInfo> queue = new ArrayList<>();
  /**
   * Blocks requested but not yet written; the I/O task that writes the last one also finishes
   * the temp file (written on I/O threads, set on control before the first request).
   */
  private final AtomicInteger unwritten = new AtomicInteger();
  /** The link blocks are fetched over; see {@link #source()}. */
  private PeerLink source;
  /** Requests whose replies are not yet accounted for. */
  private int outstanding;
  private long fetched;
  private boolean failed;
  /** The temp file is complete; {@link #complete} runs once every reply is accounted for. */
  private boolean finished;

  Pull(Engine engine, Need need, DeviceId from, Decision.Apply apply) {
    this.engine = engine;
    this.need = need;
    this.from = from;
    this.target = apply.result();
    this.assembly = new FileAssembly(engine.disk, engine.store, target, engine.puller.inline());
  }

  void begin() {
    engine.io.execute(() -> {
      try {
        engine.disk.checkNoLinkAbove(target.path());
        engine.applier.madeForDownloads.makeFor(assembly.temp().getParent());
        List<BlockInfo> missing = assembly.prepare(engine.io);
        if (missing.isEmpty()) {
          // Everything was here already (a resumed download, blocks of other files).
          assembly.finish();
          engine.post(this::complete);
          return;
        }
        unwritten.set(missing.size());
        engine.post(() -> {
          queue.addAll(missing);
          Collections.reverse(queue); // request in file order, popping from the end
          request();
        });
      } catch (IOException | RuntimeException e) {
        engine.post(() -> fail(e));
      }
    });
  }

  /** Issues block requests while the byte budget allows. Control thread. */
  private void request() {
    if (failed) {
      return;
    }
    while (!queue.isEmpty() && engine.puller.fits(queue.get(queue.size() - 1).length(), outstanding == 0)) {
      BlockInfo block = queue.remove(queue.size() - 1);
      PeerLink link = source();
      if (link == null) {
        fail(new IOException("no connected peer has this version"));
        return;
      }
      outstanding++;
      engine.puller.take(block.length());
      link.requestBlock(new BlockRequest(target.path(), block.offset(), block.length(), block.hash()))
          .whenComplete((reply, err) -> received(block, reply, err));
    }
  }

  /**
   * The link blocks are fetched over: chosen once per pull (looking a peer's record up decodes
   * its whole block list, far too much work per block of a large file) and chosen again only
   * if that link is gone.
   */
  private PeerLink source() {
    if (source != null && engine.peers.current(source) != null) {
      return source;
    }
    source = sourceFor();
    return source;
  }

  private PeerLink sourceFor() {
    PeerSession preferred = engine.peers.session(from);
    if (preferred != null && has(from)) {
      return preferred.link;
    }
    for (PeerSession s : engine.peers.sessions()) {
      if (has(s.link.peer())) {
        return s.link;
      }
    }
    return null;
  }

  private boolean has(DeviceId peer) {
    return engine.store.remote(peer, target.path())
        .map(r -> r.isLiveFile() && r.contentHash().equals(target.contentHash())).orElse(false);
  }

  /** Any thread: verify and write on I/O, account on control. */
  private void received(BlockInfo block, BlockReply reply, Throwable err) {
    if (err != null || !(reply instanceof BlockReply.Data data)) {
      String why = err != null ? String.valueOf(err.getMessage())
          : ((BlockReply.Failure) reply).error() + " " + ((BlockReply.Failure) reply).detail();
      engine.post(() -> {
        release(block);
        fail(new IOException("block at " + block.offset() + ": " + why));
      });
      return;
    }
    engine.io.execute(() -> {
      boolean ok;
      boolean last = false;
      Exception error = null;
      try {
        ok = assembly.write(block, data.bytes());
        if (ok && unwritten.decrementAndGet() == 0) {
          // The last block: finish the file here rather than in one more pair of hops.
          assembly.finish();
          last = true;
        }
      } catch (IOException | RuntimeException e) {
        ok = false;
        error = e;
      }
      boolean written = ok;
      boolean done = last;
      Exception writeError = error;
      engine.post(() -> {
        release(block);
        if (!written) {
          fail(writeError != null ? writeError : new IOException("block at " + block.offset() + " failed verification"));
          return;
        }
        fetched += block.length();
        finished |= done;
        if (!finished) {
          request();
        } else if (outstanding == 0 && !failed) {
          complete(); // the replies of earlier blocks may be posted after the last one's
        }
      });
    });
  }

  private void release(BlockInfo block) {
    outstanding--;
    engine.puller.release(block.length());
  }

  /** The temp file is complete: decide again (either side may have moved on meanwhile) and apply. */
  private void complete() {
    engine.puller.ended(target.path());
    if (engine.closed()) {
      return;
    }
    try {
      Optional<Reconciler.Choice> now = engine.puller.chooseTarget(target.path());
      if (now.isPresent() && now.get().decision() instanceof Decision.Apply a
          && a.result().contentHash().equals(target.contentHash()) && !a.result().deleted()
          && a.result().kind() == FileKind.FILE) {
        // Until the rename takes it, the finished temp file is one the puller must account for:
        // if the final check calls the rename off (a save here meanwhile) or the apply fails, a
        // retry of this version resumes from it, and anything else deletes it.
        engine.puller.leftTemp(target.path(), assembly.temp());
        engine.applier.applyPulled(a, now.get().from(),
            new Applier.PulledFile(assembly.temp(), target, fetched + assembly.bytesInline, assembly.bytesReused));
      } else {
        engine.disk.deleteIfExists(assembly.temp());
        engine.applier.madeForDownloads.removeEmptyDeleted(target.path().parent());
      }
    } catch (IOException | RuntimeException e) {
      engine.puller.failed(need, e);
      return;
    }
    engine.puller.requeue(target.path()); // unless resolved
    engine.puller.pump();
  }

  /** The temp file this pull builds the file in. */
  Path temp() {
    return assembly.temp();
  }

  private void fail(Throwable e) {
    if (failed) {
      return;
    }
    failed = true;
    assembly.close();
    engine.puller.leftTemp(target.path(), assembly.temp());
    giveUpOnceDrained(e);
  }

  /** Lets the path be pulled again once no reply of this pull is outstanding any more. */
  private void giveUpOnceDrained(Throwable e) {
    if (outstanding > 0) {
      engine.control.schedule(() -> giveUpOnceDrained(e), DRAIN_POLL);
      return;
    }
    engine.puller.ended(target.path());
    engine.puller.failed(need, e);
  }
}
