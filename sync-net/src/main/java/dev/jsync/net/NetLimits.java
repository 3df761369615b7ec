package dev.jsync.net;

import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a {@link NettyTransport} keeps per connection, and its timers. The defaults suit a
 * handful of peers on a private network; tests shorten the timers.
 *
 * @param maxFrameBytes largest frame accepted or sent; both ends must agree (16 MiB)
 * @param maxRequestBytesInFlight requested block bytes outstanding per peer before further requests
 *     wait locally (8 MiB: 64 blocks)
 * @param maxQueuedRequests block requests waiting locally per peer before new ones are answered
 *     {@code BUSY} at once (10,000)
 * @param maxServedRequests block requests from one peer being served at once; excess ones are
 *     answered {@code BUSY} (64)
 * @param pingInterval a ping goes out after this long without writing (20 s)
 * @param idleTimeout a connection with nothing heard for this long is closed (60 s)
 * @param handshakeTimeout TLS, authentication and hellos must finish within this (10 s)
 * @param connectTimeout TCP connect timeout when dialing (10 s)
 * @param reconnectMin first delay before redialing a peer (1 s); doubles per failure, with jitter
 * @param reconnectMax largest delay between dials (60 s)
 * @param writeBufferLowBytes outbound bytes below which a paused connection resumes reading (1 MiB)
 * @param writeBufferHighBytes outbound bytes above which a connection stops reading (4 MiB)
 * @param ioThreads Netty event-loop threads (2)
 * @param maxPendingIndexBytes index batches from one peer, decoded but not yet applied by the
 *     engine (estimated heap bytes), above which the connection stops reading until the engine
 *     catches up (32 MiB)
 * @param maxHandshakes accepted connections not yet authenticated, in all; further ones are closed
 *     as they are accepted, before any TLS work (64)
 * @param maxHandshakesPerAddress accepted connections not yet authenticated from one remote
 *     address (IPv6: one /64), likewise (8)
 */
public record NetLimits(
    int maxFrameBytes,
    long maxRequestBytesInFlight,
    int maxQueuedRequests,
    int maxServedRequests,
    Duration pingInterval,
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration connectTimeout,
    Duration reconnectMin,
    Duration reconnectMax,
    int writeBufferLowBytes,
    int writeBufferHighBytes,
    int ioThreads,
    long maxPendingIndexBytes,
    int maxHandshakes,
    int maxHandshakesPerAddress) {

  public NetLimits {
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
  }

  /** The defaults listed above. */
  public static NetLimits defaults() {
    return new NetLimits(Protocol.DEFAULT_MAX_FRAME_BYTES, 8L << 20, 10_000, 64,
        Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10),
        Duration.ofSeconds(1), Duration.ofSeconds(60), 1 << 20, 4 << 20, 2, 32L << 20, 64, 8);
  }

  /** These limits with other reconnect delays. */
  public NetLimits withReconnect(Duration min, Duration max) {
    return new NetLimits(maxFrameBytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests,
        pingInterval, idleTimeout, handshakeTimeout, connectTimeout, min, max, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, maxPendingIndexBytes, maxHandshakes, maxHandshakesPerAddress);
  }

  /** These limits with another ping interval and idle timeout. */
  public NetLimits withKeepAlive(Duration ping, Duration idle) {
    return new NetLimits(maxFrameBytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests,
        ping, idle, handshakeTimeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, maxPendingIndexBytes, maxHandshakes, maxHandshakesPerAddress);
  }

  /** These limits with other request bounds. */
  public NetLimits withRequests(long bytesInFlight, int queued, int served) {
    return new NetLimits(maxFrameBytes, bytesInFlight, queued, served, pingInterval, idleTimeout,
        handshakeTimeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes, writeBufferHighBytes,
        ioThreads, maxPendingIndexBytes, maxHandshakes, maxHandshakesPerAddress);
  }

  /** These limits with another maximum frame size. */
  public NetLimits withMaxFrameBytes(int bytes) {
    return new NetLimits(bytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests, pingInterval,
        idleTimeout, handshakeTimeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, maxPendingIndexBytes, maxHandshakes, maxHandshakesPerAddress);
  }

  /** These limits with another memory budget for a peer's pending index batches. */
  public NetLimits withMaxPendingIndexBytes(long bytes) {
    return new NetLimits(maxFrameBytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests, pingInterval,
        idleTimeout, handshakeTimeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, bytes, maxHandshakes, maxHandshakesPerAddress);
  }

  /** These limits with other caps on connections not yet authenticated, and another handshake timeout. */
  public NetLimits withHandshakes(int total, int perAddress, Duration timeout) {
    return new NetLimits(maxFrameBytes, maxRequestBytesInFlight, maxQueuedRequests, maxServedRequests, pingInterval,
        idleTimeout, timeout, connectTimeout, reconnectMin, reconnectMax, writeBufferLowBytes,
        writeBufferHighBytes, ioThreads, maxPendingIndexBytes, total, perAddress);
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
