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
import java.net.SocketAddress;
import java.util.Collection;
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

  /**
   * The transport of {@code device}; it connects to every peer it is linked with. Its peers are
   * fixed: {@link Transport#addPeer} refuses (use {@link #transport(DeviceId, Collection)}).
   */
  public synchronized Transport transport(DeviceId device) {
    Endpoint e = endpoints.get(device);
    if (e == null || e.closed) {
      // A restarted node gets a fresh endpoint; the old one stays closed.
      e = new Endpoint(device, null);
      endpoints.put(device, e);
    }
    return e;
  }

  /**
   * A transport of {@code device} that dials only {@code peers} (and those added with
   * {@link Transport#addPeer} while it runs, given as {@link #address}). Two devices connect
   * when they are {@link #link linked} and at least one of them dials the other, as two
   * {@code NettyTransport}s do when one of them is given the other's address.
   *
   * @throws IllegalStateException if {@code device} has a transport that is not closed
   */
  public synchronized Transport transport(DeviceId device, Collection<DeviceId> peers) {
    Endpoint e = endpoints.get(device);
    if (e != null && !e.closed) {
      throw new IllegalStateException(device.shortId() + " has a transport already");
    }
    e = new Endpoint(device, new java.util.LinkedHashSet<>(peers));
    endpoints.put(device, e);
    return e;
  }

  /** The address by which a transport of this network dials {@code device}. */
  public static Address address(DeviceId device) {
    return new Address(device);
  }

  /** An address on an {@link InMemoryNetwork}: the device dialed. */
  public static final class Address extends SocketAddress {
    private static final long serialVersionUID = 1L;

    private final DeviceId device;

    private Address(DeviceId device) {
      this.device = Objects.requireNonNull(device, "device");
    }

    /** The device this address reaches. */
    public DeviceId device() {
      return device;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Address a && a.device.equals(device);
    }

    @Override
    public int hashCode() {
      return device.hashCode();
    }

    @Override
    public String toString() {
      return "in-memory:" + device.shortId();
    }
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
          || !allowed.contains(key) || connections.containsKey(key) || !(ea.dials(b) || eb.dials(a))) {
        return;
      }
      c = new Connection(ea, eb);
      connections.put(key, c);
    }
    c.open();
  }

  private final class Endpoint implements Transport {
    final DeviceId device;
    /** The devices it dials; null: every device it is linked with. Guarded by the network. */
    final Set<DeviceId> dialed;
    volatile TransportHandler handler;
    volatile boolean closed;

    Endpoint(DeviceId device, Set<DeviceId> dialed) {
      this.device = device;
      this.dialed = dialed;
    }

    /** Whether it dials {@code peer}. Called holding the network's lock. */
    boolean dials(DeviceId peer) {
      return dialed == null || dialed.contains(peer);
    }

    @Override
    public boolean addPeer(SocketAddress peer) {
      DeviceId p = deviceOf(peer);
      synchronized (InMemoryNetwork.this) {
        if (!fixedPeersRefused().add(p)) {
          return false;
        }
      }
      if (handler != null) {
        maybeConnect(device, p);
      }
      return true;
    }

    @Override
    public boolean removePeer(SocketAddress peer) {
      DeviceId p = deviceOf(peer);
      Connection c;
      synchronized (InMemoryNetwork.this) {
        if (!fixedPeersRefused().remove(p)) {
          return false;
        }
        c = connections.remove(DevicePair.of(device, p));
      }
      if (c != null) {
        c.close("no longer a peer of this device");
        maybeConnect(device, p); // the other side may dial this one still
      }
      return true;
    }

    @Override
    public java.util.List<Address> peers() {
      synchronized (InMemoryNetwork.this) {
        return dialed == null ? java.util.List.of() : dialed.stream().map(Address::new).toList();
      }
    }

    private Set<DeviceId> fixedPeersRefused() {
      if (dialed == null) {
        throw new UnsupportedOperationException("this transport dials every device linked with it: make it with "
            + "InMemoryNetwork.transport(device, peers) to add and remove peers");
      }
      return dialed;
    }

    private DeviceId deviceOf(SocketAddress peer) {
      if (Objects.requireNonNull(peer, "peer") instanceof Address a) {
        return a.device();
      }
      throw new IllegalArgumentException("an in-memory transport dials InMemoryNetwork.address(device), not " + peer);
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
