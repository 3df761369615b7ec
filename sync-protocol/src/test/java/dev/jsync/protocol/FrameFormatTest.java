package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameFormatTest {

  private static FrameFormat.Header read(int max, int... bytes) throws ProtocolException {
    return FrameFormat.readHeader(i -> bytes[i], bytes.length, max);
  }

  @Test
  void prefixesAreShortestVarints() {
    assertThat(FrameFormat.prefix(0)).containsExactly(0x00);
    assertThat(FrameFormat.prefix(127)).containsExactly(0x7f);
    assertThat(FrameFormat.prefix(128)).containsExactly(0x80, 0x01);
    assertThat(FrameFormat.prefix(300)).containsExactly(0xac, 0x02);
    assertThat(FrameFormat.prefix(Protocol.DEFAULT_MAX_FRAME_BYTES)).containsExactly(0x80, 0x80, 0x80, 0x08);
  }

  @Test
  void readsHeadersAndWaitsForMoreBytes() throws ProtocolException {
    assertThat(read(1024, 0xac, 0x02)).isEqualTo(new FrameFormat.Header(2, 300));
    assertThat(read(1024, 0xac)).isNull();
    assertThat(read(1024)).isNull();
    assertThat(read(1024, 0x05, 0xff, 0xff)).isEqualTo(new FrameFormat.Header(1, 5));
  }

  @Test
  void rejectsOversizeAsSoonAsTheFirstBytesProveIt() {
    // 0xff 0xff already means at least 16383 > 4096, whatever follows.
    assertThatThrownBy(() -> read(4096, 0xff, 0xff)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds the maximum");
    assertThatThrownBy(() -> read(4096, 0x81, 0x40)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void rejectsNonShortestAndOverlongPrefixes() {
    assertThatThrownBy(() -> read(1 << 27, 0x80, 0x00)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("shortest");
    assertThatThrownBy(() -> read(FrameFormat.LARGEST_MAX_FRAME_BYTES, 0x80, 0x80, 0x80, 0x80, 0x01))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void refusesToFrameAnOversizePayload() {
    assertThatThrownBy(() -> FrameFormat.frame(new byte[2000], 1024)).isInstanceOf(IllegalArgumentException.class);
  }
}
