package dev.jsync.protocol;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A message encoded on demand: {@link #size()} says how many bytes it takes, so the caller can
 * allocate exactly that (from a pool, off the heap) and {@link #writeTo} fills it without an
 * intermediate array. Made by {@link MessageCodec#prepare}. Writes the same bytes as
 * {@link MessageCodec#encode}.
 */
public final class EncodedMessage {

  private final int size;
  private final Consumer<ByteBuffer> writer;

  /** For the codec; {@code writer} must write exactly {@code size} bytes and advance the buffer. */
  public EncodedMessage(int size, Consumer<ByteBuffer> writer) {
    this.size = size;
    this.writer = writer;
  }

  /** The number of bytes {@link #writeTo} writes. */
  public int size() {
    return size;
  }

  /**
   * Writes the message at {@code target}'s position and moves the position past it.
   *
   * @throws IllegalArgumentException if fewer than {@link #size()} bytes remain
   */
  public void writeTo(ByteBuffer target) {
    writer.accept(target);
  }
}
