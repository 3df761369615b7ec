package dev.jsync.testkit;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A network inside one JVM: {@link Transport}s that reach each other through method calls
 * instead of sockets, with links that tests cut and heal. Messages on a link keep their order;
 * every delivery runs on the executor given, so a single-threaded executor makes the network
 * sequential. No faults beyond cutting links: {@code SimulatedNetwork} adds loss, delay and
 * reordering.
 *
 * <p>Counts what crosses it ({@link #indexRecordsSent()}, {@link #blockBytesSent()}) so tests
 * can assert that nothing moved.
 *
 * <p>Thread-safe.
 */
public final class InMemoryNetwork {

  private final Executor delivery;
  private final Map<DeviceId, Endpoint> endpoints = new HashMap<>();
  private final Set<DevicePair> allowed = new HashSet<>();
  private final Map<DevicePair, Connection> connections = new HashMap<>();
  private final TrafficCounters counters = new TrafficCounters();
  private final java.util.List<Runnable> heldReplies = new java.util.ArrayList<>();
  private long repliesBeforeHold = Long.MAX_VALUE;

  /** A network delivering messages on {@code delivery}. */
  public InMemoryNetwork(Executor delivery) {
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** The transport of {@code device}; it connects to every peer it is linked with. */
  public synchronized Transport transport(DeviceId device) {
    Endpoint e = endpoints.get(device);
    if (e == null || e.closed) {
      // A restarted node gets a fresh endpoint; the old one stays closed.
      e = new Endpoint(device);
      endpoints.put(device, e);
    }
    return e;
  }

  /** Lets {@code a} and {@code b} talk (once both are started). */
  public void link(DeviceId a, DeviceId b) {
    synchronized (this) {
      allowed.add(DevicePair.of(a, b));
    }
    maybeConnect(a, b);
  }

  /** Cuts the link between {@code a} and {@code b}; both see a disconnect. */
  public void cut(DeviceId a, DeviceId b) {
    Connection c;
    synchronized (this) {
      allowed.remove(DevicePair.of(a, b));
      c = connections.remove(DevicePair.of(a, b));
    }
    if (c != null) {
      c.close("link cut");
    }
  }

  /** Records sent in index batches so far. */
  public long indexRecordsSent() {
    return counters.indexRecords();
  }

  /** Index batches sent so far. */
  public long indexBatchesSent() {
    return counters.indexBatches();
  }

  /** Bytes of block data delivered so far (a held reply counts once it is released and arrives). */
  public long blockBytesSent() {
    return counters.blockBytes();
  }

  /** Block requests made so far. */
  public long blockRequestsSent() {
    return counters.blockRequests();
  }

  /**
   * Lets {@code n} more block replies through, then holds every later one until
   * {@link #releaseBlocks()}: a transfer frozen mid-way, for crash and race tests.
   */
  public synchronized void holdBlocksAfter(long n) {
    repliesBeforeHold = n;
  }

  /** Delivers every held block reply and stops holding. */
  public void releaseBlocks() {
    java.util.List<Runnable> release;
    synchronized (this) {
      repliesBeforeHold = Long.MAX_VALUE;
      release = new java.util.ArrayList<>(heldReplies);
      heldReplies.clear();
    }
    release.forEach(delivery::execute);
  }

  /** Block replies currently held. */
  public synchronized int heldBlocks() {
    return heldReplies.size();
  }

  /** Delivers a block reply now, or holds it. */
  private void deliverReply(Runnable r) {
    synchronized (this) {
      if (repliesBeforeHold <= 0) {
        heldReplies.add(r);
        return;
      }
      repliesBeforeHold--;
    }
    delivery.execute(r);
  }

  private void maybeConnect(DeviceId a, DeviceId b) {
    Endpoint ea;
    Endpoint eb;
    Connection c;
    synchronized (this) {
      ea = endpoints.get(a);
      eb = endpoints.get(b);
      DevicePair key = DevicePair.of(a, b);
      if (ea == null || eb == null || ea.handler == null || eb.handler == null || ea.closed || eb.closed
          || !allowed.contains(key) || connections.containsKey(key)) {
        return;
      }
      c = new Connection(ea, eb);
      connections.put(key, c);
    }
    c.open();
  }

  private final class Endpoint implements Transport {
    final DeviceId device;
    volatile TransportHandler handler;
    volatile boolean closed;

    Endpoint(DeviceId device) {
      this.device = device;
    }

    @Override
    public DeviceId deviceId() {
      return device;
    }

    @Override
    public void start(TransportHandler h) {
      handler = Objects.requireNonNull(h);
      Set<DeviceId> peers;
      synchronized (InMemoryNetwork.this) {
        peers = new HashSet<>(endpoints.keySet());
      }
      for (DeviceId p : peers) {
        if (!p.equals(device)) {
          maybeConnect(device, p);
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      Set<Connection> mine = new HashSet<>();
      synchronized (InMemoryNetwork.this) {
        connections.entrySet().removeIf(e -> {
          if (e.getKey().contains(device)) {
            mine.add(e.getValue());
            return true;
          }
          return false;
        });
      }
      for (Connection c : mine) {
        c.close("peer shut down");
      }
    }
  }

  /** Two ends of one connection. */
  private final class Connection {
    final Side left;
    final Side right;

    Connection(Endpoint a, Endpoint b) {
      left = new Side(a, b);
      right = new Side(b, a);
      left.other = right;
      right.other = left;
    }

    void open() {
      delivery.execute(() -> {
        // Either side may have shut down (a node restarting) since the connection was made.
        if (left.self.closed || right.self.closed || left.isClosed() || right.isClosed()) {
          left.close("peer shut down");
          return;
        }
        Hello fromLeft;
        Hello fromRight;
        try {
          fromLeft = left.self.handler.helloFor(left.peer.device);
          fromRight = right.self.handler.helloFor(right.peer.device);
        } catch (RuntimeException e) {
          left.close("hello failed: " + e.getMessage()); // a node closing as it connects
          return;
        }
        left.self.handler.connected(left, fromRight);
        right.self.handler.connected(right, fromLeft);
      });
    }

    void close(String reason) {
      left.closeLocally(reason);
      right.closeLocally(reason);
    }
  }

  /** One side's view of a connection: the {@link PeerLink} handed to that side's engine. */
  private final class Side extends LinkEnd {
    final Endpoint self;
    final Endpoint peer;
    Side other;

    Side(Endpoint self, Endpoint peer) {
      this.self = self;
      this.peer = peer;
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
      return !isClosed();
    }

    @Override
    void carry(long bytes, Runnable deliver) {
      delivery.execute(deliver);
    }

    @Override
    void carryReply(BlockRequest request, BlockReply reply, Runnable deliver) {
      deliverReply(deliver);
    }

    /** Counts a block's bytes as they arrive: a held reply has not moved yet. */
    @Override
    void replyDelivered(BlockRequest request, BlockReply reply) {
      counters.blockReply(request.path(), reply);
    }

    @Override
    void requestLost(CompletableFuture<BlockReply> reply) {
      failPending(reply);
    }

    @Override
    public CompletionStage<Void> sendIndex(IndexUpdate update) {
      CompletableFuture<Void> sent = new CompletableFuture<>();
      if (isClosed()) {
        sent.completeExceptionally(new LinkClosedException("link closed"));
        return sent;
      }
      counters.indexBatch(update);
      delivery.execute(() -> {
        if (other.accepting()) {
          other.self.handler.indexReceived(other, update);
          sent.complete(null);
        } else {
          sent.completeExceptionally(new LinkClosedException("link closed"));
        }
      });
      return sent;
    }

    @Override
    public void close(String reason) {
      Connection c;
      synchronized (InMemoryNetwork.this) {
        c = connections.remove(DevicePair.of(self.device, peer.device));
      }
      if (c != null) {
        c.close(reason);
      }
    }

    @Override
    void tellDisconnected(String reason) {
      TransportHandler h = self.handler;
      delivery.execute(() -> h.disconnected(this, reason));
    }
  }
}
