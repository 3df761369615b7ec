package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.testkit.NettyLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The mechanism that fails a test class on a Netty LEAK report, caught in the act. */
class NettyLeaksTest {

  @Test
  void aBufferNeverReleasedIsReportedAndFailsTheCheck() {
    NettyLeaks.collect(); // start clean
    leakOne();
    // Checked here directly, so that this deliberate leak does not fail the class afterwards.
    assertThatThrownBy(() -> NettyLeaks.check("the deliberate leak"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("LEAK:");
    assertThat(NettyLeaks.collect()).as("reports are forgotten once checked").isEmpty();
  }

  @Test
  void releasedBuffersAreNotReported() {
    NettyLeaks.collect();
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(1);
    b.release();
    assertThat(NettyLeaks.collect()).isEmpty();
  }

  /** Allocates a buffer and drops it unreleased (in its own frame, so nothing keeps it alive). */
  private static void leakOne() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(42);
  }
}
