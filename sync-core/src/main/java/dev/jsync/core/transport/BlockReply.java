package dev.jsync.core.transport;

import java.util.Objects;

/** The answer to a {@link BlockRequest}: the bytes, or why there are none. */
public sealed interface BlockReply {

  /**
   * The block's bytes; the requester verifies them against the requested hash. The array is
   * handed over, not copied (a block is 128 KiB and a large file has thousands): whoever makes
   * a {@code Data} must not change the array afterwards, and whoever receives one must not
   * change it either.
   */
  record Data(byte[] bytes) implements BlockReply {
    public Data {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** No bytes; {@code detail} is for logs only. */
  record Failure(BlockError error, String detail) implements BlockReply {
    public Failure {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }

  static BlockReply data(byte[] bytes) {
    return new Data(bytes);
  }

  static BlockReply failure(BlockError error, String detail) {
    return new Failure(error, detail);
  }
}
