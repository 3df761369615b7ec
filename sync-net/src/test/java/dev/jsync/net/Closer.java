package dev.jsync.net;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what a test opened, last first, even when the test failed. */
final class Closer implements AutoCloseable {

  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  <T extends AutoCloseable> T add(T closeable) {
    open.push(closeable);
    return closeable;
  }

  @Override
  public void close() {
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
