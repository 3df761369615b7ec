package dev.jsync.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A scan's list of changes that hands its contents to a sink whenever it holds
 * {@value Scanner#CHUNK} of them (without a sink, an ordinary list). Not thread-safe: the scanning
 * thread's.
 */
final class ScanChunks extends ArrayList<ScanItem> {
  private static final long serialVersionUID = 1L;
  private final transient Consumer<List<ScanItem>> sink;

  ScanChunks(Consumer<List<ScanItem>> sink) {
    this.sink = sink;
  }

  @Override
  public boolean add(ScanItem item) {
    super.add(item);
    if (sink != null && size() >= Scanner.CHUNK) {
      sink.accept(List.copyOf(this));
      clear();
    }
    return true;
  }
}
