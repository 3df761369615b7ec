package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Scheduler;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * A network of simulated devices on a {@link SimulatedScheduler}: each device gets a
 * {@link Transport} ({@link #transport(DeviceId)}), connections come and go as a seed and the
 * explicit faults decide, and every delivery is a task at a virtual time.
 *
 * <p>The model is TCP's, as {@link NetworkFaults} describes: one connection per pair of
 * devices, ordered and exactly-once within a connection, latency, bandwidth, retransmission
 * delays, resets, partitions that hold messages until they heal or a keep-alive gives up, and
 * reconnection with back-off. By default every device dials every other; {@link #linkOnly}
 * restricts that to a topology (a chain A–B–C, say). On top of TCP's model it shows what a real
 * transport adds: a second connection that handshakes while the first still delivers and then
 * replaces it ({@link #rehandshake}), index batches repeated or skipped, failed handshakes.
 *
 * <p>It counts what the engines send ({@link #indexRecordsSent()}, {@link #blockBytesSent()},
 * ...) so that a test can assert that a converged cluster sends nothing.
 *
 * <p>Not thread-safe: it runs on the scheduler's thread, like everything simulated.
 */
public final class SimulatedNetwork {

  private static final long INDEX_RECORD_BYTES = 160;
  private static final long HEADER_BYTES = LinkEnd.HEADER_BYTES;

  private final SimulatedScheduler scheduler;
  private final RandomGenerator random;
  private final Scheduler lane;
  private NetworkFaults faults;
  private final Map<DeviceId, Endpoint> endpoints = new TreeMap<>();
  private final Map<DevicePair, PairState> pairs = new TreeMap<>();
  private Set<DevicePair> topology;
  private final TrafficCounters counters = new TrafficCounters();
  private long opened;
  private long resets;
  private long rehandshakes;
  private long batchesRepeated;
  private long batchesSkipped;
  private long handshakesFailed;
  private long overlapping;
  /** Per receiver and sender: the sender's index epoch and the highest position delivered in it. */
  private final Map<DevicePair, Map<DeviceId, long[]>> delivered = new TreeMap<>();
  private final List<String> engineCloses = new ArrayList<>();

  /** A network on {@code scheduler}, misbehaving as {@code faults} says. */
  public SimulatedNetwork(SimulatedScheduler scheduler, NetworkFaults faults) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.faults = Objects.requireNonNull(faults, "faults");
    this.random = scheduler.randomFor("network");
    this.lane = scheduler.orderedLane("network");
  }

  /** The fault settings in force. */
  public NetworkFaults faults() {
    return faults;
  }

  /** Changes the fault settings; messages already on their way keep their delays. */
  public void setFaults(NetworkFaults faults) {
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /**
   * The transport of {@code device}'s current process. After {@link #crash} or a close, the
   * next call returns a fresh transport for the restarted process.
   *
   * @throws IllegalStateException if the device's transport is running
   */
  public Transport transport(DeviceId device) {
    Endpoint e = endpoints.get(device);
    if (e != null && e.alive) {
      if (e.handler != null) {
        throw new IllegalStateException(device.shortId() + " already has a running transport; crash or close it first");
      }
      return e;
    }
    Endpoint fresh = new Endpoint(device, e == null ? 1 : e.incarnation + 1);
    endpoints.put(device, fresh);
    return fresh;
  }

  /** Lets only these pairs of devices connect (a chain, a star); by default every pair may. */
  public void linkOnly(Collection<? extends List<DeviceId>> links) {
    Set<DevicePair> t = new HashSet<>();
    for (List<DeviceId> l : links) {
      if (l.size() != 2) {
        throw new IllegalArgumentException("a link joins two devices: " + l);
      }
      t.add(DevicePair.of(l.get(0), l.get(1)));
    }
    topology = t;
    for (PairState p : List.copyOf(pairs.values())) {
      if (!t.contains(p.pair) && p.conn != null) {
        reset(p.conn, "link removed");
      }
    }
  }

  // ---------------------------------------------------------------- explicit faults

  /** Cuts {@code side} off from every other device until {@link #heal()}. */
  public void partition(Collection<DeviceId> side) {
    Set<DeviceId> in = new HashSet<>(side);
    Set<DeviceId> all = new LinkedHashSet<>(endpoints.keySet());
    all.addAll(in);
    for (DeviceId a : in) {
      for (DeviceId b : all) {
        if (!in.contains(b)) {
          block(DevicePair.of(a, b));
        }
      }
    }
  }

  /** Cuts the path between {@code a} and {@code b} until {@link #heal()}. */
  public void disconnect(DeviceId a, DeviceId b) {
    block(DevicePair.of(a, b));
  }

  /** Ends every partition and disconnection; held messages flow again, in order. */
  public void heal() {
    for (PairState p : pairs.values()) {
      if (p.blocked) {
        p.blocked = false;
        p.blockEpoch++;
      }
    }
    scheduler.record("heal");
  }

  /** Resets the connection between {@code a} and {@code b}, if there is one. */
  public void reset(DeviceId a, DeviceId b) {
    PairState p = pairs.get(DevicePair.of(a, b));
    if (p != null && p.conn != null) {
      reset(p.conn, "connection reset");
    }
  }

  /**
   * A second connection between {@code a} and {@code b} handshakes while the current one keeps
   * delivering, and replaces it: each side's hello is computed from its store now (or, as the
   * seed decides, once the old connection is closed), the old connection closes as a duplicate
   * after the messages already on it have arrived, and then the new one's hellos arrive. The
   * engines thus see the old link's batches after the hello that tells the peer where to start
   * the new stream. Does nothing if the two have no connection up or one is being replaced.
   */
  public void rehandshake(DeviceId a, DeviceId b) {
    PairState p = pairs.get(DevicePair.of(a, b));
    if (p != null && p.conn != null) {
      rehandshake(p.conn);
    }
  }

  /** Resets every connection. */
  public void resetAll() {
    for (PairState p : List.copyOf(pairs.values())) {
      if (p.conn != null) {
        reset(p.conn, "connection reset");
      }
    }
  }

  /**
   * {@code device}'s process died: its transport is gone and its connections break (peers
   * notice one latency later). Its engine is never called again; a restart takes a new
   * {@link #transport(DeviceId)}.
   */
  public void crash(DeviceId device) {
    Endpoint e = endpoints.get(device);
    if (e != null) {
      e.shutDown("peer crashed");
    }
  }

  /** Whether {@code a} and {@code b} have a connection up, with hellos exchanged both ways. */
  public boolean isConnected(DeviceId a, DeviceId b) {
    PairState p = pairs.get(DevicePair.of(a, b));
    return p != null && p.conn != null && p.conn.open && p.conn.a.helloDelivered && p.conn.b.helloDelivered;
  }

  // ---------------------------------------------------------------- counters

  /** Records sent in index batches so far (counted when sent, whether or not they arrive). */
  public long indexRecordsSent() {
    return counters.indexRecords();
  }

  /** Index batches sent so far, empty ones included. */
  public long indexBatchesSent() {
    return counters.indexBatches();
  }

  /** Block requests sent so far. */
  public long blockRequestsSent() {
    return counters.blockRequests();
  }

  /** Bytes of block data sent in replies so far. */
  public long blockBytesSent() {
    return counters.blockBytes();
  }

  /** Connections opened so far. */
  public long connectionsOpened() {
    return opened;
  }

  /** Connections reset or closed so far. */
  public long connectionsClosed() {
    return resets;
  }

  /** Re-handshakes started ({@link #rehandshake}); a reset meanwhile may have ended some. */
  public long rehandshakes() {
    return rehandshakes;
  }

  /** Index batches delivered a second time ({@link NetworkFaults#batchRepeat()}). */
  public long batchesRepeated() {
    return batchesRepeated;
  }

  /** Index batches lost on a connection that stayed up ({@link NetworkFaults#batchSkip()}). */
  public long batchesSkipped() {
    return batchesSkipped;
  }

  /**
   * Index batches delivered that start before a position already delivered to the same device
   * from the same sender in the same epoch, over any connection: a stream overlapping what the
   * receiver was sent (after a re-handshake, or a repeated batch).
   */
  public long overlappingBatches() {
    return overlapping;
  }

  /** Requests to resume an index stream ({@link PeerLink#requestIndexFrom}) sent so far. */
  public long indexRequestsSent() {
    return counters.indexRequests();
  }

  /** Dials that failed at authentication ({@link NetworkFaults#handshakeFailure()}). */
  public long handshakesFailed() {
    return handshakesFailed;
  }

  /** Bytes of block data sent along with index batches (inline small files) so far. */
  public long inlineBytesSent() {
    return counters.inlineBytes();
  }

  /** Bytes of block data sent in replies to requests for {@code path} so far. */
  public long blockBytesSent(RelativePath path) {
    return counters.blockBytes(path);
  }

  /**
   * Bytes of inline blocks sent along with index records of {@code path} so far (a block
   * listed by several records of one batch counts for each).
   */
  public long inlineBytesSent(RelativePath path) {
    return counters.inlineBytes(path);
  }

  /**
   * Every link an engine closed itself ({@link PeerLink#close}), as "{@code a>b: reason}", in
   * order. A simulated network never gives an engine a reason to close a link but a replaced
   * connection or a shutdown: any other entry is an engine giving up on a stream it could have
   * repaired.
   */
  public List<String> linksClosedByEngines() {
    return java.util.Collections.unmodifiableList(engineCloses);
  }

  // ---------------------------------------------------------------- internals

  private PairState pair(DevicePair key) {
    return pairs.computeIfAbsent(key, PairState::new);
  }

  private void block(DevicePair key) {
    PairState p = pair(key);
    if (p.blocked) {
      return;
    }
    p.blocked = true;
    long epoch = ++p.blockEpoch;
    scheduler.record("block " + key);
    if (p.conn != null) {
      Connection c = p.conn;
      lane.schedule(() -> {
        if (p.blocked && p.blockEpoch == epoch && c.open) {
          reset(c, "keep-alive timeout");
        }
      }, faults.keepAliveTimeout());
    }
  }

  private boolean allowed(DevicePair key) {
    return topology == null || topology.contains(key);
  }

  private long latencyNanos() {
    long min = faults.minLatency().toNanos();
    long max = faults.maxLatency().toNanos();
    return max == min ? min : min + random.nextLong(max - min + 1);
  }

  private void scheduleDial(PairState p, long delayNanos) {
    if (p.dialTimer != null || p.conn != null || !allowed(p.pair)) {
      return;
    }
    Endpoint a = endpoints.get(p.pair.lo());
    Endpoint b = endpoints.get(p.pair.hi());
    if (a == null || b == null || !a.running() || !b.running()) {
      return;
    }
    p.dialTimer = lane.schedule(() -> dial(p), java.time.Duration.ofNanos(delayNanos));
  }

  private void dial(PairState p) {
    p.dialTimer = null;
    Endpoint a = endpoints.get(p.pair.lo());
    Endpoint b = endpoints.get(p.pair.hi());
    if (p.conn != null || a == null || b == null || !a.running() || !b.running() || !allowed(p.pair)) {
      return;
    }
    if (p.blocked) {
      long first = faults.reconnectDelay().toNanos();
      p.backoffNanos = Math.min(faults.maxReconnectDelay().toNanos(), Math.max(first, p.backoffNanos * 2));
      scheduleDial(p, jitter(p.backoffNanos));
      return;
    }
    if (faults.handshakeFailure() > 0 && random.nextDouble() < faults.handshakeFailure()) {
      // Connected, but authentication failed: the dialer backs off as after any failed dial.
      handshakesFailed++;
      scheduler.record("handshake failed " + p.pair);
      long first = faults.reconnectDelay().toNanos();
      p.backoffNanos = Math.min(faults.maxReconnectDelay().toNanos(), Math.max(first, p.backoffNanos * 2));
      scheduleDial(p, 2 * latencyNanos() + jitter(p.backoffNanos));
      return;
    }
    p.backoffNanos = 0;
    Connection c = new Connection(p, a, b, ++p.connections);
    p.conn = c;
    opened++;
    scheduler.record("open " + p.pair + "#" + c.id);
    exchangeHellos(c, a.handler.helloFor(b.device), b.handler.helloFor(a.device));
  }

  private void exchangeHellos(Connection c, Hello fromA, Hello fromB) {
    Endpoint a = c.a.self;
    Endpoint b = c.b.self;
    send(c.a, HEADER_BYTES, () -> {
      c.b.helloDelivered = true;
      b.handler.connected(c.b, fromA);
    });
    send(c.b, HEADER_BYTES, () -> {
      c.a.helloDelivered = true;
      a.handler.connected(c.a, fromB);
    });
  }

  /** See {@link #rehandshake(DeviceId, DeviceId)}. */
  private void rehandshake(Connection old) {
    PairState p = old.pair;
    Endpoint a = old.a.self;
    Endpoint b = old.b.self;
    if (!old.open || old.retiring || p.conn != old || p.replacement != null || !a.running() || !b.running()) {
      return;
    }
    Connection c = new Connection(p, a, b, ++p.connections);
    p.replacement = c;
    opened++;
    rehandshakes++;
    scheduler.record("rehandshake " + p.pair + "#" + c.id + " over #" + old.id);
    if (random.nextBoolean()) {
      // Hellos computed as the handshake starts, while the old link still delivers: on the
      // transport's own thread, so a task of its own, which the seed orders among the engines'.
      lane.schedule(() -> {
        if (p.replacement == c && a.running() && b.running()) {
          c.helloFromA = a.handler.helloFor(b.device);
          c.helloFromB = b.handler.helloFor(a.device);
        }
      }, java.time.Duration.ZERO);
    }
    // The handshake takes about two round trips; then both ends apply the duplicate rule.
    lane.schedule(() -> retire(old, c), java.time.Duration.ofNanos(2 * latencyNanos()));
  }

  /**
   * Closes {@code old} as a duplicate of {@code replacement}: no new message goes onto it,
   * each side closes once what was already sent to it has arrived, and then the replacement's
   * hellos are exchanged.
   */
  private void retire(Connection old, Connection replacement) {
    PairState p = old.pair;
    if (p.replacement != replacement || !old.open) {
      return; // the old connection was reset meanwhile; the pair redials as usual
    }
    old.retiring = true;
    for (Side s : List.of(old.a, old.b)) {
      Direction in = s.other.out;
      long now = scheduler.nanos();
      long due = Math.max(now + latencyNanos(), in.lastDue + 1);
      in.lastDue = due;
      in.queue.add(new Message(due, () -> {
        s.closeLocally("replaced by a newer connection");
        if (old.a.isClosed() && old.b.isClosed()) {
          install(old, replacement);
        }
      }));
      if (in.pump == null) {
        in.pump = in.lane.schedule(in::pump, java.time.Duration.ofNanos(due - now));
      }
    }
  }

  private void install(Connection old, Connection c) {
    PairState p = old.pair;
    old.open = false;
    resets++;
    scheduler.record("replaced " + p.pair + "#" + old.id + " by #" + c.id);
    if (p.conn == old) {
      p.conn = null;
    }
    if (p.replacement != c) {
      scheduleDial(p, jitter(faults.reconnectDelay().toNanos()));
      return;
    }
    p.replacement = null;
    Endpoint a = c.a.self;
    Endpoint b = c.b.self;
    if (p.conn != null || !a.running() || !b.running() || !allowed(p.pair)) {
      scheduleDial(p, jitter(faults.reconnectDelay().toNanos()));
      return;
    }
    p.conn = c;
    Hello fromA = c.helloFromA != null ? c.helloFromA : a.handler.helloFor(b.device);
    Hello fromB = c.helloFromB != null ? c.helloFromB : b.handler.helloFor(a.device);
    exchangeHellos(c, fromA, fromB);
  }

  /** Between half and all of {@code nanos}, so that redials of different pairs spread out. */
  private long jitter(long nanos) {
    return nanos / 2 + random.nextLong(nanos / 2 + 1);
  }

  /** Puts a message on {@code from}'s outgoing direction, with the delays and faults TCP would show. */
  private Message send(Side from, long bytes, Runnable deliver) {
    Connection c = from.conn;
    if (!c.open || c.retiring) {
      return null; // the sender has not noticed the reset (or the close) yet: lost, as it would be
    }
    NetworkFaults f = faults;
    if (f.resetRate() > 0 && random.nextDouble() < f.resetRate()) {
      reset(c, "connection reset by the network");
      return null;
    }
    if (f.rehandshakeRate() > 0 && random.nextDouble() < f.rehandshakeRate()) {
      rehandshake(c); // this message still goes on the old connection
    }
    long delay = latencyNanos();
    int losses = 0;
    while (f.packetLoss() > 0 && random.nextDouble() < f.packetLoss()) {
      if (++losses > f.maxRetransmits()) {
        reset(c, "too many retransmissions");
        return null;
      }
      delay += f.retransmitTimeout().toNanos();
    }
    long transmit = f.bytesPerSecond() == 0 ? 0 : bytes * 1_000_000_000L / f.bytesPerSecond();
    if (f.duplication() > 0 && random.nextDouble() < f.duplication()) {
      transmit *= 2; // the receiver drops the copy, but it took its turn on the link
    }
    Direction d = from.out;
    long now = scheduler.nanos();
    long startAt = Math.max(now, d.linkFreeAt);
    d.linkFreeAt = startAt + transmit;
    long due = Math.max(startAt + transmit + delay, d.lastDue + 1);
    d.lastDue = due;
    Message m = new Message(due, deliver);
    d.queue.add(m);
    if (d.pump == null) {
      d.pump = d.lane.schedule(d::pump, java.time.Duration.ofNanos(due - now));
    }
    return m;
  }

  private void reset(Connection c, String reason) {
    if (!c.open) {
      return;
    }
    c.open = false;
    resets++;
    scheduler.record("reset " + c.pair.pair + "#" + c.id);
    if (c.pair.conn == c) {
      c.pair.conn = null;
      c.pair.replacement = null; // a re-handshake under way dies with the connection it replaces
    }
    c.a.out.queue.clear();
    c.b.out.queue.clear();
    long latest = 0;
    for (Side s : List.of(c.a, c.b)) {
      if (s.self.alive) {
        long detect = latencyNanos();
        latest = Math.max(latest, detect);
        s.other.out.lane.schedule(() -> s.closeLocally(reason), java.time.Duration.ofNanos(detect));
      }
    }
    scheduleDial(c.pair, latest + jitter(faults.reconnectDelay().toNanos()));
  }

  private void noteDelivered(DeviceId receiver, DeviceId sender, IndexUpdate update) {
    long[] seen = delivered.computeIfAbsent(DevicePair.of(receiver, sender), k -> new TreeMap<>())
        .computeIfAbsent(receiver, k -> new long[] {update.indexEpoch(), 0});
    if (seen[0] != update.indexEpoch()) {
      seen[0] = update.indexEpoch();
      seen[1] = 0;
    }
    if (update.previousSequence() < seen[1]) {
      overlapping++;
    }
    seen[1] = Math.max(seen[1], update.lastSequence());
  }

  /** What the network knows about one pair: its connection, partition and dialing state. */
  private static final class PairState {
    final DevicePair pair;
    Connection conn;
    /** A connection that handshook while {@link #conn} still delivers, waiting to replace it. */
    Connection replacement;
    Scheduler.Cancellable dialTimer;
    long backoffNanos;
    int connections;
    boolean blocked;
    long blockEpoch;

    PairState(DevicePair pair) {
      this.pair = pair;
    }
  }

  /** One device's process as the network sees it. */
  private final class Endpoint implements Transport {
    final DeviceId device;
    final int incarnation;
    TransportHandler handler;
    boolean alive = true;

    Endpoint(DeviceId device, int incarnation) {
      this.device = device;
      this.incarnation = incarnation;
    }

    boolean running() {
      return alive && handler != null;
    }

    @Override
    public DeviceId deviceId() {
      return device;
    }

    @Override
    public void start(TransportHandler h) {
      if (handler != null) {
        throw new IllegalStateException("transport already started");
      }
      handler = Objects.requireNonNull(h, "handler");
      if (!alive) {
        return;
      }
      for (DeviceId other : endpoints.keySet()) {
        if (!other.equals(device)) {
          // A dial takes a handshake: about two round trips.
          scheduleDial(pair(DevicePair.of(device, other)), 2 * latencyNanos());
        }
      }
    }

    @Override
    public void close() {
      shutDown("peer shut down");
    }

    void shutDown(String reason) {
      if (!alive) {
        return;
      }
      alive = false;
      for (PairState p : pairs.values()) {
        if (p.pair.lo().equals(device) || p.pair.hi().equals(device)) {
          if (p.dialTimer != null) {
            p.dialTimer.cancel();
            p.dialTimer = null;
          }
          if (p.conn != null && (p.conn.a.self == this || p.conn.b.self == this)) {
            reset(p.conn, reason);
          }
        }
      }
    }
  }

  /** One connection between two endpoints. */
  private final class Connection {
    final PairState pair;
    final int id;
    final Side a;
    final Side b;
    boolean open = true;
    /** Closing as a duplicate: takes no new message, delivers what it holds. */
    boolean retiring;
    Hello helloFromA;
    Hello helloFromB;

    Connection(PairState pair, Endpoint ea, Endpoint eb, int id) {
      this.pair = pair;
      this.id = id;
      this.a = new Side(this, ea);
      this.b = new Side(this, eb);
      a.other = b;
      b.other = a;
      String name = "net " + pair.pair + "#" + id + " ";
      a.out = new Direction(this, scheduler.orderedLane(name + ea.device.shortId() + ">"));
      b.out = new Direction(this, scheduler.orderedLane(name + eb.device.shortId() + ">"));
    }
  }

  /** A message waiting in a direction's queue. */
  private static final class Message {
    final long due;
    final Runnable deliver;

    Message(long due, Runnable deliver) {
      this.due = due;
      this.deliver = deliver;
    }
  }

  /** One direction of a connection: a FIFO of messages, delivered one per step. */
  private final class Direction {
    final Connection conn;
    final Scheduler lane;
    final ArrayDeque<Message> queue = new ArrayDeque<>();
    long lastDue;
    long linkFreeAt;
    Scheduler.Cancellable pump;
    /** The last index batch put on this direction, for {@link NetworkFaults#batchSkip()}. */
    Message lastIndex;
    /** Whether a batch was skipped on this direction already: a true gap is rare, one per connection. */
    boolean skipped;

    Direction(Connection conn, Scheduler lane) {
      this.conn = conn;
      this.lane = lane;
    }

    void pump() {
      pump = null;
      if (!conn.open || queue.isEmpty()) {
        queue.clear();
        return;
      }
      long now = scheduler.nanos();
      Message head = queue.peek();
      if (conn.pair.blocked) {
        // Partitioned: TCP keeps retransmitting; look again one retransmission later.
        pump = lane.schedule(this::pump, faults.retransmitTimeout());
        return;
      }
      if (head.due > now) {
        pump = lane.schedule(this::pump, java.time.Duration.ofNanos(head.due - now));
        return;
      }
      queue.poll();
      head.deliver.run();
      if (!queue.isEmpty() && conn.open) {
        pump = lane.schedule(this::pump, java.time.Duration.ofNanos(Math.max(0, queue.peek().due - now)));
      }
    }
  }

  /** One end of a connection: the {@link PeerLink} its device's engine holds. */
  private final class Side extends LinkEnd {
    final Connection conn;
    final Endpoint self;
    Side other;
    Direction out;
    boolean helloDelivered;

    Side(Connection conn, Endpoint self) {
      this.conn = conn;
      this.self = self;
    }

    @Override
    LinkEnd other() {
      return other;
    }

    @Override
    DeviceId device() {
      return self.device;
    }

    @Override
    TransportHandler handler() {
      return self.handler;
    }

    @Override
    TrafficCounters counters() {
      return counters;
    }

    @Override
    boolean accepting() {
      return self.alive && !isClosed();
    }

    @Override
    void carry(long bytes, Runnable deliver) {
      send(this, bytes, deliver);
    }

    /** Counts a block's bytes as they are sent, whether or not they arrive. */
    @Override
    void carryReply(BlockRequest request, BlockReply reply, Runnable deliver) {
      counters.blockReply(request.path(), reply);
      long size = HEADER_BYTES + (reply instanceof BlockReply.Data d ? d.bytes().length : 0);
      send(this, size, deliver);
    }

    @Override
    public CompletionStage<Void> sendIndex(IndexUpdate update) {
      if (isClosed()) {
        return CompletableFuture.failedFuture(new LinkClosedException("link closed"));
      }
      NetworkFaults f = faults;
      if (f.batchSkip() > 0 && !out.skipped && out.lastIndex != null && out.queue.contains(out.lastIndex)
          && random.nextDouble() < f.batchSkip()) {
        // The previous batch is lost while the connection stays up: this one shows a gap.
        out.queue.remove(out.lastIndex);
        out.skipped = true;
        batchesSkipped++;
        scheduler.record("skip batch " + this);
      }
      counters.indexBatch(update);
      long bytes = HEADER_BYTES + INDEX_RECORD_BYTES * update.records().size();
      Runnable deliver = () -> {
        if (other.accepting()) {
          noteDelivered(other.self.device, self.device, update);
          other.self.handler.indexReceived(other, update);
        }
      };
      out.lastIndex = send(this, bytes, deliver);
      if (out.lastIndex != null && f.batchRepeat() > 0 && random.nextDouble() < f.batchRepeat()) {
        batchesRepeated++;
        scheduler.record("repeat batch " + this);
        Message again = send(this, bytes, deliver);
        out.lastIndex = again != null ? again : out.lastIndex;
      }
      // Handed to the network: TCP has buffered it.
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(String reason) {
      if (isClosed()) {
        return;
      }
      engineCloses.add(self.device.shortId() + ">" + other.self.device.shortId() + ": " + reason);
      if (conn.open) {
        reset(conn, reason);
      }
    }

    @Override
    void tellDisconnected(String reason) {
      if (helloDelivered && self.alive) {
        self.handler.disconnected(this, reason);
      }
    }

    @Override
    public String toString() {
      return "link " + self.device.shortId() + ">" + other.self.device.shortId() + "#" + conn.id;
    }
  }
}
