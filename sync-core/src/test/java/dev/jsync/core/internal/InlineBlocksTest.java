package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.Sha256;
import dev.jsync.core.transport.InlineBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store of blocks that arrived inline: bounded by bytes, empty blocks included. */
class InlineBlocksTest {

  private static Sha256 hash(int i) {
    return Sha256.of(ByteBuffer.allocate(4).putInt(i).array());
  }

  @Test
  void emptyBlocksCountAndAreBoundedLikeAnyOther() {
    // A peer announcing 200,000 empty blocks, each under its own hash: each counts with an
    // overhead, or they would cost nothing, all would stay, and bytes() at 0 would clear none.
    InlineBlocks inline = new InlineBlocks(1 << 20);
    List<InlineBlock> empty = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      empty.add(new InlineBlock(hash(i), new byte[0]));
    }
    inline.addAll(empty);
    assertThat(inline.size()).isEqualTo((1 << 20) / InlineBlocks.ENTRY_OVERHEAD);
    assertThat(inline.bytes()).isPositive().isLessThanOrEqualTo(1 << 20);
    // The newest stay, the oldest went.
    assertThat(inline.take(hash(199_999))).isEmpty();
    assertThat(inline.take(hash(0))).isNull();
  }

  @Test
  void takingTheLastBlockBringsTheCountToZero() {
    InlineBlocks inline = new InlineBlocks(1 << 20);
    inline.addAll(List.of(new InlineBlock(hash(1), new byte[0]), new InlineBlock(hash(2), new byte[100])));
    assertThat(inline.bytes()).isEqualTo(2L * InlineBlocks.ENTRY_OVERHEAD + 100);
    inline.take(hash(1));
    inline.take(hash(2));
    assertThat(inline.bytes()).isZero();
    assertThat(inline.size()).isZero();
  }
}
