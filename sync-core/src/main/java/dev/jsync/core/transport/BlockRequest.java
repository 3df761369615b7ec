package dev.jsync.core.transport;

import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import java.util.Objects;

/**
 * A request for one block of a file as the requester expects it to be: the answer must hash to
 * {@code hash}, or the block is refused.
 */
public record BlockRequest(RelativePath path, long offset, int length, Sha256 hash) {

  public BlockRequest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("bad block range at " + offset + " length " + length);
    }
  }
}
