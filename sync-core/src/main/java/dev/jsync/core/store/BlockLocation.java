package dev.jsync.core.store;

import dev.jsync.core.RelativePath;
import java.util.Objects;

/**
 * Where a local copy of a block lives: a file in the local index and the block's offset in it.
 * A hint only: the file may have changed since, so the bytes are verified against the hash.
 */
public record BlockLocation(RelativePath path, long offset, int length) {

  public BlockLocation {
    Objects.requireNonNull(path, "path");
  }
}
