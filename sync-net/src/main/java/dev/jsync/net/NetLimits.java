package dev.jsync.net;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a {@link NettyTransport} keeps per connection, and its timers. The defaults suit a
 * handful of peers on a private network; tests shorten the timers.
 *
 * <p>Built by {@link #builder()} (or {@link #toBuilder()} from other limits), whose every setting
 * starts at the default given at its method, so a limit added in a later release is a new
 * builder method and callers keep compiling. {@link #defaults()} and the {@code with*} methods
 * are shorthands for the same. {@link Builder#build()} checks the limits together (positive
 * values, ordered pairs) and throws {@link IllegalArgumentException} on a bad one.
 *
 * <p>Immutable and thread-safe; equal when every limit is.
 */
public final class NetLimits {

  private static final NetLimits DEFAULTS = new Builder().build();

  private final int maxFrameBytes;
  private final long maxRequestBytesInFlight;
  private final int maxQueuedRequests;
  private final int maxServedRequests;
  private final Duration pingInterval;
  private final Duration idleTimeout;
  private final Duration handshakeTimeout;
  private final Duration connectTimeout;
  private final Duration reconnectMin;
  private final Duration reconnectMax;
  private final int writeBufferLowBytes;
  private final int writeBufferHighBytes;
  private final int ioThreads;
  private final long maxPendingIndexBytes;
  private final int maxHandshakes;
  private final int maxHandshakesPerAddress;

  private NetLimits(Builder b) {
    this.maxFrameBytes = b.maxFrameBytes;
    this.maxRequestBytesInFlight = b.maxRequestBytesInFlight;
    this.maxQueuedRequests = b.maxQueuedRequests;
    this.maxServedRequests = b.maxServedRequests;
    this.pingInterval = b.pingInterval;
    this.idleTimeout = b.idleTimeout;
    this.handshakeTimeout = b.handshakeTimeout;
    this.connectTimeout = b.connectTimeout;
    this.reconnectMin = b.reconnectMin;
    this.reconnectMax = b.reconnectMax;
    this.writeBufferLowBytes = b.writeBufferLowBytes;
    this.writeBufferHighBytes = b.writeBufferHighBytes;
    this.ioThreads = b.ioThreads;
    this.maxPendingIndexBytes = b.maxPendingIndexBytes;
    this.maxHandshakes = b.maxHandshakes;
    this.maxHandshakesPerAddress = b.maxHandshakesPerAddress;
  }

  /** The defaults given at each {@link Builder} method. */
  public static NetLimits defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxFrameBytes = maxFrameBytes;
    b.maxRequestBytesInFlight = maxRequestBytesInFlight;
    b.maxQueuedRequests = maxQueuedRequests;
    b.maxServedRequests = maxServedRequests;
    b.pingInterval = pingInterval;
    b.idleTimeout = idleTimeout;
    b.handshakeTimeout = handshakeTimeout;
    b.connectTimeout = connectTimeout;
    b.reconnectMin = reconnectMin;
    b.reconnectMax = reconnectMax;
    b.writeBufferLowBytes = writeBufferLowBytes;
    b.writeBufferHighBytes = writeBufferHighBytes;
    b.ioThreads = ioThreads;
    b.maxPendingIndexBytes = maxPendingIndexBytes;
    b.maxHandshakes = maxHandshakes;
    b.maxHandshakesPerAddress = maxHandshakesPerAddress;
    return b;
  }

  /** Largest frame accepted or sent; both ends must agree (16 MiB). */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Requested block bytes outstanding per peer before further requests wait locally (8 MiB: 64 blocks). */
  public long maxRequestBytesInFlight() {
    return maxRequestBytesInFlight;
  }

  /** Block requests waiting locally per peer before new ones are answered {@code BUSY} at once (10,000). */
  public int maxQueuedRequests() {
    return maxQueuedRequests;
  }

  /** Block requests from one peer being served at once; excess ones are answered {@code BUSY} (64). */
  public int maxServedRequests() {
    return maxServedRequests;
  }

  /** A ping goes out after this long without writing (20 s). */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** A connection with nothing heard for this long is closed (60 s); more than the ping interval. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** TLS, authentication and hellos must finish within this (10 s). */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** TCP connect timeout when dialing (10 s). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** First delay before redialing a peer (1 s); doubles per failure, with jitter. */
  public Duration reconnectMin() {
    return reconnectMin;
  }

  /** Largest delay between dials (60 s); at least the first. */
  public Duration reconnectMax() {
    return reconnectMax;
  }

  /** Outbound bytes below which a paused connection resumes reading (1 MiB). */
  public int writeBufferLowBytes() {
    return writeBufferLowBytes;
  }

  /** Outbound bytes above which a connection stops reading (4 MiB); at least the low mark. */
  public int writeBufferHighBytes() {
    return writeBufferHighBytes;
  }

  /** Netty event-loop threads (2). */
  public int ioThreads() {
    return ioThreads;
  }

  /**
   * Index batches from one peer, decoded but not yet applied by the engine (estimated heap bytes),
   * above which the connection stops reading until the engine catches up (32 MiB).
   */
  public long maxPendingIndexBytes() {
    return maxPendingIndexBytes;
  }

  /**
   * Accepted connections not yet authenticated, in all; further ones are closed as they are accepted,
   * before any TLS work (64).
   */
  public int maxHandshakes() {
    return maxHandshakes;
  }

  /** Accepted connections not yet authenticated from one remote address (IPv6: one /64), likewise (8). */
  public int maxHandshakesPerAddress() {
    return maxHandshakesPerAddress;
  }

  /** These limits with other reconnect delays. */
  public NetLimits withReconnect(Duration min, Duration max) {
    return toBuilder().reconnect(min, max).build();
  }

  /** These limits with another ping interval and idle timeout. */
  public NetLimits withKeepAlive(Duration ping, Duration idle) {
    return toBuilder().keepAlive(ping, idle).build();
  }

  /** These limits with other request bounds. */
  public NetLimits withRequests(long bytesInFlight, int queued, int served) {
    return toBuilder().maxRequestBytesInFlight(bytesInFlight).maxQueuedRequests(queued).maxServedRequests(served)
        .build();
  }

  /** These limits with another maximum frame size. */
  public NetLimits withMaxFrameBytes(int bytes) {
    return toBuilder().maxFrameBytes(bytes).build();
  }

  /** These limits with another memory budget for a peer's pending index batches. */
  public NetLimits withMaxPendingIndexBytes(long bytes) {
    return toBuilder().maxPendingIndexBytes(bytes).build();
  }

  /** These limits with other caps on connections not yet authenticated, and another handshake timeout. */
  public NetLimits withHandshakes(int total, int perAddress, Duration timeout) {
    return toBuilder().maxHandshakes(total).maxHandshakesPerAddress(perAddress).handshakeTimeout(timeout).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetLimits l && l.maxFrameBytes == maxFrameBytes
        && l.maxRequestBytesInFlight == maxRequestBytesInFlight && l.maxQueuedRequests == maxQueuedRequests
        && l.maxServedRequests == maxServedRequests && l.pingInterval.equals(pingInterval)
        && l.idleTimeout.equals(idleTimeout) && l.handshakeTimeout.equals(handshakeTimeout)
        && l.connectTimeout.equals(connectTimeout) && l.reconnectMin.equals(reconnectMin)
        && l.reconnectMax.equals(reconnectMax) && l.writeBufferLowBytes == writeBufferLowBytes
        && l.writeBufferHighBytes == writeBufferHighBytes && l.ioThreads == ioThreads
        && l.maxPendingIndexBytes == maxPendingIndexBytes && l.maxHandshakes == maxHandshakes
        && l.maxHandshakesPerAddress == maxHandshakesPerAddress;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxFrameBytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests, pingInterval,
        idleTimeout, handshakeTimeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, maxPendingIndexBytes, maxHandshakes, maxHandshakesPerAddress);
  }

  @Override
  public String toString() {
    return "NetLimits[maxFrameBytes=" + maxFrameBytes
        + ", maxRequestBytesInFlight=" + maxRequestBytesInFlight
        + ", maxQueuedRequests=" + maxQueuedRequests
        + ", maxServedRequests=" + maxServedRequests
        + ", pingInterval=" + pingInterval
        + ", idleTimeout=" + idleTimeout
        + ", handshakeTimeout=" + handshakeTimeout
        + ", connectTimeout=" + connectTimeout
        + ", reconnectMin=" + reconnectMin
        + ", reconnectMax=" + reconnectMax
        + ", writeBufferLowBytes=" + writeBufferLowBytes
        + ", writeBufferHighBytes=" + writeBufferHighBytes
        + ", ioThreads=" + ioThreads
        + ", maxPendingIndexBytes=" + maxPendingIndexBytes
        + ", maxHandshakes=" + maxHandshakes
        + ", maxHandshakesPerAddress=" + maxHandshakesPerAddress + "]";
  }

  /** Limits in the making; each setting starts at its default. Not thread-safe. */
  public static final class Builder {
    private int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
    private long maxRequestBytesInFlight = 8L << 20;
    private int maxQueuedRequests = 10_000;
    private int maxServedRequests = 64;
    private Duration pingInterval = Duration.ofSeconds(20);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration reconnectMin = Duration.ofSeconds(1);
    private Duration reconnectMax = Duration.ofSeconds(60);
    private int writeBufferLowBytes = 1 << 20;
    private int writeBufferHighBytes = 4 << 20;
    private int ioThreads = 2;
    private long maxPendingIndexBytes = 32L << 20;
    private int maxHandshakes = 64;
    private int maxHandshakesPerAddress = 8;

    private Builder() {}

    /** Largest frame accepted or sent; both ends must agree (16 MiB). */
    public Builder maxFrameBytes(int v) {
      this.maxFrameBytes = v;
      return this;
    }

    /** Requested block bytes outstanding per peer before further requests wait locally (8 MiB: 64 blocks). */
    public Builder maxRequestBytesInFlight(long v) {
      this.maxRequestBytesInFlight = v;
      return this;
    }

    /** Block requests waiting locally per peer before new ones are answered {@code BUSY} at once (10,000). */
    public Builder maxQueuedRequests(int v) {
      this.maxQueuedRequests = v;
      return this;
    }

    /** Block requests from one peer being served at once; excess ones are answered {@code BUSY} (64). */
    public Builder maxServedRequests(int v) {
      this.maxServedRequests = v;
      return this;
    }

    /** A ping goes out after this long without writing (20 s). */
    public Builder pingInterval(Duration v) {
      this.pingInterval = Objects.requireNonNull(v, "pingInterval");
      return this;
    }

    /** A connection with nothing heard for this long is closed (60 s); more than the ping interval. */
    public Builder idleTimeout(Duration v) {
      this.idleTimeout = Objects.requireNonNull(v, "idleTimeout");
      return this;
    }

    /** TLS, authentication and hellos must finish within this (10 s). */
    public Builder handshakeTimeout(Duration v) {
      this.handshakeTimeout = Objects.requireNonNull(v, "handshakeTimeout");
      return this;
    }

    /** TCP connect timeout when dialing (10 s). */
    public Builder connectTimeout(Duration v) {
      this.connectTimeout = Objects.requireNonNull(v, "connectTimeout");
      return this;
    }

    /** First delay before redialing a peer (1 s); doubles per failure, with jitter. */
    public Builder reconnectMin(Duration v) {
      this.reconnectMin = Objects.requireNonNull(v, "reconnectMin");
      return this;
    }

    /** Largest delay between dials (60 s); at least the first. */
    public Builder reconnectMax(Duration v) {
      this.reconnectMax = Objects.requireNonNull(v, "reconnectMax");
      return this;
    }

    /** Outbound bytes below which a paused connection resumes reading (1 MiB). */
    public Builder writeBufferLowBytes(int v) {
      this.writeBufferLowBytes = v;
      return this;
    }

    /** Outbound bytes above which a connection stops reading (4 MiB); at least the low mark. */
    public Builder writeBufferHighBytes(int v) {
      this.writeBufferHighBytes = v;
      return this;
    }

    /** Netty event-loop threads (2). */
    public Builder ioThreads(int v) {
      this.ioThreads = v;
      return this;
    }

    /**
     * Index batches from one peer, decoded but not yet applied by the engine (estimated heap bytes),
     * above which the connection stops reading until the engine catches up (32 MiB).
     */
    public Builder maxPendingIndexBytes(long v) {
      this.maxPendingIndexBytes = v;
      return this;
    }

    /**
     * Accepted connections not yet authenticated, in all; further ones are closed as they are
     * accepted, before any TLS work (64).
     */
    public Builder maxHandshakes(int v) {
      this.maxHandshakes = v;
      return this;
    }

    /** Accepted connections not yet authenticated from one remote address (IPv6: one /64), likewise (8). */
    public Builder maxHandshakesPerAddress(int v) {
      this.maxHandshakesPerAddress = v;
      return this;
    }

    /** The reconnect delays: the first, and the largest ({@link #reconnectMin}, {@link #reconnectMax}). */
    public Builder reconnect(Duration min, Duration max) {
      return reconnectMin(min).reconnectMax(max);
    }

    /** The ping interval and the idle timeout ({@link #pingInterval}, {@link #idleTimeout}). */
    public Builder keepAlive(Duration ping, Duration idle) {
      return pingInterval(ping).idleTimeout(idle);
    }

    /**
     * The limits built.
     *
     * @throws IllegalArgumentException if a limit is not positive, the frame size is outside
     *     what the frame format allows, or a pair is out of order (the idle timeout not above the
     *     ping interval, the largest reconnect delay below the first, the high write mark below
     *     the low)
     */
    public NetLimits build() {
      FrameFormat.checkMaxFrameBytes(maxFrameBytes);
      positive(maxRequestBytesInFlight, "maxRequestBytesInFlight");
      positive(maxQueuedRequests, "maxQueuedRequests");
      positive(maxServedRequests, "maxServedRequests");
      positive(pingInterval, "pingInterval");
      positive(idleTimeout, "idleTimeout");
      positive(handshakeTimeout, "handshakeTimeout");
      positive(connectTimeout, "connectTimeout");
      positive(reconnectMin, "reconnectMin");
      positive(reconnectMax, "reconnectMax");
      if (reconnectMax.compareTo(reconnectMin) < 0) {
        throw new IllegalArgumentException("reconnectMax < reconnectMin");
      }
      if (idleTimeout.compareTo(pingInterval) <= 0) {
        throw new IllegalArgumentException("idleTimeout must exceed pingInterval, or live peers time out");
      }
      positive(writeBufferLowBytes, "writeBufferLowBytes");
      if (writeBufferHighBytes < writeBufferLowBytes) {
        throw new IllegalArgumentException("writeBufferHighBytes < writeBufferLowBytes");
      }
      positive(ioThreads, "ioThreads");
      positive(maxPendingIndexBytes, "maxPendingIndexBytes");
      positive(maxHandshakes, "maxHandshakes");
      positive(maxHandshakesPerAddress, "maxHandshakesPerAddress");
      return new NetLimits(this);
    }

    private static void positive(long v, String name) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
    }

    private static void positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }
}
