package dev.jsync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.testkit.NettyLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;

/**
 * A Netty LEAK report fails this module's tests too (the hostile-peer kit runs real nodes in this
 * JVM): NettyLeaks is registered for every test class, and under this module's logging and JVM
 * flags a buffer dropped unreleased is reported.
 */
class NettyLeaksRegisteredTest {

  @Test
  void nettyLeaksRunsAfterEveryTestClass() {
    assertThat(ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type))
        .contains(NettyLeaks.class);
  }

  @Test
  void aBufferNeverReleasedIsReportedHere() {
    NettyLeaks.collect(); // start clean
    leakOne();
    // Checked here directly, so that this deliberate leak does not fail the class afterwards.
    assertThatThrownBy(() -> NettyLeaks.check("the deliberate leak"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("LEAK:");
  }

  /** Allocates a buffer and drops it unreleased (in its own frame, so nothing keeps it alive). */
  private static void leakOne() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(42);
  }
}
