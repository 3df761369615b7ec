package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.Sha256;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.IndexMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An authenticated peer that sends index batches faster than the engine applies them: the
 * connection stops reading once the unapplied batches exceed the budget, and reads again when
 * the engine has caught up.
 */
class IndexBudgetTest {

  private static final int BUDGET = 64 * 1024;

  private static IndexMessage batch(long sequence) {
    InlineBlock block = new InlineBlock(Sha256.of(new byte[] {(byte) sequence}), new byte[30 * 1024]);
    return new IndexMessage(new IndexUpdate(1, sequence, sequence + 1, List.of(), List.of(block)));
  }

  @Test
  void readingPausesWhileUnappliedBatchesExceedTheBudget() {
    NetLimits limits = NetLimits.defaults().withMaxPendingIndexBytes(BUDGET);
    try (EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, limits).tlsDone().shuttle()) {
      assertThat(p.listenerEvents.connected).hasSize(1);
      p.listenerEvents.applyAtOnce = false; // the engine is busy
      for (long s = 0; s < 2; s++) {
        p.listener.writeInbound(HandshakeTest.frame(batch(s)));
      }
      assertThat(p.listener.config().isAutoRead()).as("60 KiB pending, under the budget").isTrue();
      p.listener.writeInbound(HandshakeTest.frame(batch(2)));
      assertThat(p.listener.config().isAutoRead()).as("90 KiB pending, over the budget").isFalse();
      assertThat(p.listenerEvents.indexes).hasSize(3);

      // The engine applies the first batch: 60 KiB left, under the budget again.
      p.listenerEvents.pending.get(0).complete(null);
      p.listener.runPendingTasks();
      assertThat(p.listener.config().isAutoRead()).isTrue();
      // A batch the engine drops (a failed stage) is refunded as well.
      p.listener.writeInbound(HandshakeTest.frame(batch(3)));
      assertThat(p.listener.config().isAutoRead()).isFalse();
      p.listenerEvents.pending.get(1).completeExceptionally(new IllegalStateException("dropped"));
      p.listener.runPendingTasks();
      assertThat(p.listener.config().isAutoRead()).isTrue();
      p.listenerEvents.pending.forEach(f -> f.complete(null));
    }
  }

  @Test
  void theBudgetDoesNotResumeReadingThatTheWriteBacklogPaused() {
    NetLimits limits = NetLimits.defaults().withMaxPendingIndexBytes(BUDGET);
    try (EmbeddedPeers p = new EmbeddedPeers(HandshakeTest.KEY, HandshakeTest.KEY, limits).tlsDone().shuttle()) {
      p.listenerEvents.applyAtOnce = false;
      for (long s = 0; s < 3; s++) {
        p.listener.writeInbound(HandshakeTest.frame(batch(s)));
      }
      ReadGate.pause(p.listener, ReadGate.WRITE_BACKLOG); // the peer stopped reading our writes
      p.listenerEvents.pending.forEach(f -> f.complete(null));
      p.listener.runPendingTasks();
      assertThat(p.listener.config().isAutoRead()).isFalse();
      ReadGate.resume(p.listener, ReadGate.WRITE_BACKLOG);
      assertThat(p.listener.config().isAutoRead()).isTrue();
    }
  }

  @Test
  void theEstimateGrowsWithWhatABatchHolds() {
    IndexUpdate empty = new IndexUpdate(1, 0, 0, List.of());
    IndexUpdate oneBlock = batch(0).update();
    assertThat(IndexBudget.heapBytes(empty)).isZero();
    assertThat(IndexBudget.heapBytes(oneBlock)).isEqualTo(IndexBudget.INLINE_OVERHEAD + 30 * 1024);
  }
}
