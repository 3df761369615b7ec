package dev.jsync.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SimulatedNetwork} misbehaves. Partitions, resets on demand and crashes are
 * separate, explicit faults ({@link SimulatedNetwork#partition}, {@link SimulatedNetwork#reset},
 * {@link SimulatedNetwork#crash}); these are the background rates a seed draws from.
 *
 * <h2>Faithful to TCP</h2>
 *
 * <p>jSync runs over TCP, and its engine assumes what TCP gives: on one connection, messages
 * arrive in the order sent, exactly once, or the connection breaks. So packet-level faults are
 * mapped to what an application on TCP actually sees:
 * <ul>
 *   <li><b>loss</b> becomes <b>delay</b>: the segment is retransmitted after
 *       {@link #retransmitTimeout()}, and everything behind it on the same connection waits
 *       (head-of-line blocking). {@link #maxRetransmits()} losses of one message in a row make
 *       TCP give up: the connection is <b>reset</b>;</li>
 *   <li><b>duplication</b> is invisible: the receiving TCP discards the copy. It only costs the
 *       duplicate's transmission time on a link with limited bandwidth;</li>
 *   <li><b>reordering</b> happens only <b>across</b> connections (between different peers, or
 *       between an old connection and its replacement), never within one;</li>
 *   <li>a <b>reset</b> ({@link #resetRate()}: a NAT timeout, a middlebox, a RST) closes both
 *       ends: messages in flight are lost, each side learns of it one latency later, its
 *       outstanding block requests fail with {@code LinkClosedException}, its engine is told
 *       {@code disconnected}, and the transport reconnects after a back-off between
 *       {@link #reconnectDelay()} and {@link #maxReconnectDelay()};</li>
 *   <li>a <b>partition</b> holds messages back (TCP keeps retransmitting); if it lasts longer
 *       than {@link #keepAliveTimeout()} the connection is reset, otherwise the held messages
 *       arrive, in order, once it heals.</li>
 * </ul>
 *
 * <h2>What a real transport adds on top</h2>
 *
 * <p>Four more rates model how jSync's own transport shows a connection's life, beyond TCP:
 * <ul>
 *   <li><b>re-handshakes</b> ({@link #rehandshakeRate()}, and {@code Operation.replaceLink}):
 *       a second connection between the same pair authenticates while the first is still
 *       delivering (both ends dialed at once, or one end redialed before it noticed the old
 *       connection die). Each side's hello is computed from its store when the new connection
 *       handshakes; the old connection then closes as a duplicate, after the messages already on
 *       it have arrived, and only then do the new hellos arrive (docs/protocol.md, "One
 *       connection per pair of devices"). The receiver may thus have read further than the
 *       hello it sent says, and the new stream overlaps what it holds;</li>
 *   <li><b>repeated index batches</b> ({@link #batchRepeat()}): a batch arrives twice, the
 *       second time right behind the first (a sender that resends after an adoption, a
 *       transport that replays its last frame). The receiver must skip what it has;</li>
 *   <li><b>skipped index batches</b> ({@link #batchSkip()}): a batch is lost while the
 *       connection stays up, and the next one arrives starting after a position the receiver
 *       has not reached (a true gap). Only a batch still queued when the next is sent is
 *       skipped, so a gap is always followed by a batch that shows it, and at most one per
 *       direction of a connection, so that the stream the receiver asks for arrives whole;</li>
 *   <li><b>failed handshakes</b> ({@link #handshakeFailure()}): a dial connects but
 *       authentication fails (a certificate missing from a resumed TLS session); the transport
 *       backs off and dials again.</li>
 * </ul>
 *
 * @param minLatency the least one-way delay of a message
 * @param maxLatency the greatest one-way delay before retransmissions; each message draws
 *     uniformly between the two, and never overtakes an earlier one on its connection
 * @param bytesPerSecond bandwidth of each direction of a connection; 0 means unlimited. A
 *     message occupies the link for its size divided by this
 * @param packetLoss probability that a message must be retransmitted, drawn again after each
 *     retransmission, in [0, 1)
 * @param retransmitTimeout the delay one retransmission adds
 * @param maxRetransmits retransmissions of one message after which the connection is reset
 * @param duplication probability that a message is duplicated, in [0, 1]
 * @param resetRate probability, per message sent, that the connection is reset instead, in
 *     [0, 1]
 * @param keepAliveTimeout how long a partition may hold a connection's messages before the
 *     connection is declared dead and reset
 * @param reconnectDelay the first back-off before a transport redials a peer
 * @param maxReconnectDelay the back-off doubles, with jitter, up to this
 * @param rehandshakeRate probability, per message sent, that a second connection between the
 *     pair handshakes while this one keeps delivering, and replaces it, in [0, 1]
 * @param batchRepeat probability that an index batch is delivered twice, in [0, 1]
 * @param batchSkip probability that an index batch still queued when the next one is sent on
 *     its connection is lost (once per direction of a connection at most), in [0, 1]
 * @param handshakeFailure probability that a dial fails at authentication, in [0, 1)
 */
public record NetworkFaults(
    Duration minLatency,
    Duration maxLatency,
    long bytesPerSecond,
    double packetLoss,
    Duration retransmitTimeout,
    int maxRetransmits,
    double duplication,
    double resetRate,
    Duration keepAliveTimeout,
    Duration reconnectDelay,
    Duration maxReconnectDelay,
    double rehandshakeRate,
    double batchRepeat,
    double batchSkip,
    double handshakeFailure) {

  public NetworkFaults {
    Objects.requireNonNull(minLatency, "minLatency");
    Objects.requireNonNull(maxLatency, "maxLatency");
    Objects.requireNonNull(retransmitTimeout, "retransmitTimeout");
    Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
    Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    Objects.requireNonNull(maxReconnectDelay, "maxReconnectDelay");
    if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
      throw new IllegalArgumentException("latency range " + minLatency + ".." + maxLatency + " is empty or negative");
    }
    if (bytesPerSecond < 0 || maxRetransmits < 0) {
      throw new IllegalArgumentException("bytesPerSecond and maxRetransmits must be >= 0");
    }
    if (!(packetLoss >= 0 && packetLoss < 1) || !probability(duplication) || !probability(resetRate)
        || !probability(rehandshakeRate) || !probability(batchRepeat) || !probability(batchSkip)
        || !(handshakeFailure >= 0 && handshakeFailure < 1)) {
      throw new IllegalArgumentException("probabilities out of range: loss " + packetLoss + ", duplication "
          + duplication + ", reset " + resetRate + ", re-handshake " + rehandshakeRate + ", batch repeat "
          + batchRepeat + ", batch skip " + batchSkip + ", handshake failure " + handshakeFailure);
    }
    if (!positive(retransmitTimeout) || !positive(keepAliveTimeout) || !positive(reconnectDelay)
        || maxReconnectDelay.compareTo(reconnectDelay) < 0) {
      throw new IllegalArgumentException("timeouts must be positive and maxReconnectDelay >= reconnectDelay");
    }
  }

  /** The TCP-level settings alone, with none of the transport-level faults. */
  public NetworkFaults(Duration minLatency, Duration maxLatency, long bytesPerSecond, double packetLoss,
      Duration retransmitTimeout, int maxRetransmits, double duplication, double resetRate, Duration keepAliveTimeout,
      Duration reconnectDelay, Duration maxReconnectDelay) {
    this(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits, duplication,
        resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, 0, 0, 0, 0);
  }

  private static boolean probability(double p) {
    return p >= 0 && p <= 1;
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /** A reliable local network: 1 to 5 ms, unlimited bandwidth, no loss, no resets. */
  public static NetworkFaults none() {
    return new NetworkFaults(Duration.ofMillis(1), Duration.ofMillis(5), 0, 0, Duration.ofMillis(200), 8, 0, 0,
        Duration.ofSeconds(15), Duration.ofMillis(500), Duration.ofSeconds(8));
  }

  /**
   * A poor network across the internet: 5 to 150 ms, 2 MB/s, 5% loss, 2% duplication, one
   * message in 100 resetting its connection.
   */
  public static NetworkFaults flaky() {
    return none().withLatency(Duration.ofMillis(5), Duration.ofMillis(150)).withBandwidth(2_000_000)
        .withLoss(0.05).withDuplication(0.02).withResetRate(0.01);
  }

  /**
   * These settings with no loss, duplication, resets, re-handshakes, repeated or skipped
   * batches or failed handshakes left: what a heal restores.
   */
  public NetworkFaults healed() {
    return withLoss(0).withDuplication(0).withResetRate(0).withTransportFaults(0, 0, 0, 0);
  }

  /** Whether any transport-level fault (re-handshakes, repeated or skipped batches, failed handshakes) is on. */
  public boolean hasTransportFaults() {
    return rehandshakeRate > 0 || batchRepeat > 0 || batchSkip > 0 || handshakeFailure > 0;
  }

  /** These settings with the given transport-level fault rates. */
  public NetworkFaults withTransportFaults(double rehandshakeRate, double batchRepeat, double batchSkip,
      double handshakeFailure) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate, batchRepeat,
        batchSkip, handshakeFailure);
  }

  public NetworkFaults withLatency(Duration min, Duration max) {
    return new NetworkFaults(min, max, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits, duplication,
        resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withBandwidth(long bytesPerSecond) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withLoss(double packetLoss) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withDuplication(double duplication) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withResetRate(double resetRate) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withKeepAliveTimeout(Duration keepAliveTimeout) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, reconnectDelay, maxReconnectDelay, rehandshakeRate,
        batchRepeat, batchSkip, handshakeFailure);
  }

  public NetworkFaults withReconnectDelay(Duration first, Duration max) {
    return new NetworkFaults(minLatency, maxLatency, bytesPerSecond, packetLoss, retransmitTimeout, maxRetransmits,
        duplication, resetRate, keepAliveTimeout, first, max, rehandshakeRate, batchRepeat,
        batchSkip, handshakeFailure);
  }

  /** Java source that builds these settings, for replaying a printed scenario. */
  String toJava() {
    return "new NetworkFaults(" + d(minLatency) + ", " + d(maxLatency) + ", " + bytesPerSecond + "L, " + packetLoss
        + ", " + d(retransmitTimeout) + ", " + maxRetransmits + ", " + duplication + ", " + resetRate + ", "
        + d(keepAliveTimeout) + ", " + d(reconnectDelay) + ", " + d(maxReconnectDelay)
        + (hasTransportFaults() ? ", " + rehandshakeRate + ", " + batchRepeat + ", " + batchSkip + ", " + handshakeFailure : "")
        + ")";
  }

  private static String d(Duration d) {
    return "Duration.parse(\"" + d + "\")";
  }
}
