package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  @Test
  void assemblesFramesFedOneByteAtATime() throws ProtocolException {
    byte[] a = FrameFormat.frame(new byte[] {1, 2, 3}, 1024);
    byte[] b = FrameFormat.frame(new byte[300], 1024);
    byte[] c = FrameFormat.frame(new byte[0], 1024);
    byte[] stream = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, stream, 0, a.length);
    System.arraycopy(b, 0, stream, a.length, b.length);
    System.arraycopy(c, 0, stream, a.length + b.length, c.length);
    FrameReader reader = new FrameReader(1024);
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < stream.length; i++) {
      got.addAll(reader.feed(stream, i, 1));
    }
    assertThat(got).hasSize(3);
    assertThat(got.get(0)).containsExactly(1, 2, 3);
    assertThat(got.get(1)).hasSize(300);
    assertThat(got.get(2)).isEmpty();
    assertThat(reader.bufferedBytes()).isZero();
  }

  @Test
  void rejectsAnOversizeFrameBeforeReservingMemory() throws ProtocolException {
    FrameReader reader = new FrameReader(1024);
    assertThat(reader.feed(new byte[] {(byte) 0x81})).isEmpty();
    assertThatThrownBy(() -> reader.feed(new byte[] {(byte) 0x40})).isInstanceOf(ProtocolException.class);
    assertThat(reader.reservedBytes()).isZero();
    // The stream has lost its framing: the reader stays failed.
    assertThatThrownBy(() -> reader.feed(new byte[] {0x01, 0x00})).isInstanceOf(ProtocolException.class);
  }
}
