package dev.jsync.core;

import java.util.Objects;

/**
 * One block of a file: where it starts, how long it is and its SHA-256. Every block of a file
 * is {@link #SIZE} bytes except the last, which may be shorter (an empty file has no blocks).
 *
 * @param offset byte offset in the file
 * @param length length in bytes, 1 to {@link #SIZE}
 * @param hash SHA-256 of the block's bytes
 */
public record BlockInfo(long offset, int length, Sha256 hash) {

  /** The fixed block size: 128 KiB. */
  public static final int SIZE = 128 * 1024;

  public BlockInfo {
    Objects.requireNonNull(hash, "hash");
    if (offset < 0 || offset % SIZE != 0) {
      throw new IllegalArgumentException("block offset must be a non-negative multiple of " + SIZE + ": " + offset);
    }
    if (length <= 0 || length > SIZE) {
      throw new IllegalArgumentException("block length must be 1.." + SIZE + ": " + length);
    }
  }

  /** Number of blocks a file of {@code size} bytes has. */
  public static long count(long size) {
    return (size + SIZE - 1) / SIZE;
  }

  /** Position of this block in its file. */
  public int index() {
    return Math.toIntExact(offset / SIZE);
  }
}
