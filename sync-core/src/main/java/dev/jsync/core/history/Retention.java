package dev.jsync.core.history;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How long and how much a {@link VersionStore} keeps. Versions go oldest first: every version
 * older than {@code maxAge}, and then more until the content left fits in the size limit.
 * Immutable.
 *
 * <p>The size limit, unless set, is {@value #DEFAULT_SHARE_PERCENT} % of the synced folder's
 * size, but at least {@link #DEFAULT_FLOOR_BYTES} (16 MiB, so that a small vault still keeps a
 * useful history) and at most {@link #DEFAULT_CAP_BYTES} (1 GiB, which suits a small box such as
 * a Raspberry Pi). Content shared by several versions counts once.
 *
 * @param maxAge how long a version is kept; zero turns history off (nothing is kept)
 * @param maxBytes the most content kept, in bytes; empty for the default described above
 */
public record Retention(Duration maxAge, OptionalLong maxBytes) {

  /** The default age limit: 30 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);
  /** The default size limit's upper bound: 1 GiB. */
  public static final long DEFAULT_CAP_BYTES = 1L << 30;
  /** The default size limit's lower bound: 16 MiB. */
  public static final long DEFAULT_FLOOR_BYTES = 16L << 20;
  /** The default size limit's share of the folder's size, in percent. */
  public static final int DEFAULT_SHARE_PERCENT = 20;

  public Retention {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxBytes, "maxBytes");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge is negative: " + maxAge);
    }
    if (maxBytes.isPresent() && maxBytes.getAsLong() < 0) {
      throw new IllegalArgumentException("maxBytes is negative: " + maxBytes.getAsLong());
    }
  }

  /** 30 days, and the folder-relative size limit. */
  public static Retention defaults() {
    return new Retention(DEFAULT_MAX_AGE, OptionalLong.empty());
  }

  /** Keeps nothing. */
  public static Retention off() {
    return new Retention(Duration.ZERO, OptionalLong.empty());
  }

  /**
   * Removes nothing: for a short-lived writer such as {@code jsync restore}, which keeps what it
   * overwrites but must not apply a retention other than the one the node was given.
   */
  public static Retention unlimited() {
    return new Retention(Duration.ofDays(365L * 1000), OptionalLong.of(Long.MAX_VALUE));
  }

  public Retention withMaxAge(Duration v) {
    return new Retention(v, maxBytes);
  }

  public Retention withMaxBytes(long v) {
    return new Retention(maxAge, OptionalLong.of(v));
  }

  /** Whether anything is kept at all. */
  public boolean enabled() {
    return !maxAge.isZero() && (maxBytes.isEmpty() || maxBytes.getAsLong() > 0);
  }

  /** The size limit for a folder holding {@code folderBytes} bytes. */
  public long limitFor(long folderBytes) {
    if (maxBytes.isPresent()) {
      return maxBytes.getAsLong();
    }
    long share = folderBytes / 100 * DEFAULT_SHARE_PERCENT + folderBytes % 100 * DEFAULT_SHARE_PERCENT / 100;
    return Math.min(DEFAULT_CAP_BYTES, Math.max(DEFAULT_FLOOR_BYTES, share));
  }
}
