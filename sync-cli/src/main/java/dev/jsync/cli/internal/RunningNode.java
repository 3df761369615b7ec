package dev.jsync.cli.internal;

import dev.jsync.core.SyncNode;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a running node that must be closed, in the one order that is safe: the status
 * ticker (it reads the node), the node (it stops pulling; downloads in flight keep their temp
 * files for the next run), the transport (peers are told goodbye), and last the store (nothing
 * writes to it any more). Start-up adds the parts as it creates them.
 *
 * <p>Thread-safe: a shutdown hook or signal may close it while start-up is still running, so
 * start-up holds this object's lock ({@link #lock()}) and {@link #close()} waits for it.
 */
final class RunningNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningNode.class);

  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private RocksDbIndexStore store;
  private NettyTransport transport;
  private SyncNode node;
  private StatusTicker ticker;
  private boolean closed;

  /** The lock start-up holds while it adds parts. */
  Object lock() {
    return this;
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized void store(RocksDbIndexStore s) {
    this.store = s;
  }

  synchronized RocksDbIndexStore store() {
    return store;
  }

  synchronized void transport(NettyTransport t) {
    this.transport = t;
  }

  synchronized void node(SyncNode n) {
    this.node = n;
  }

  synchronized void ticker(StatusTicker t) {
    this.ticker = t;
  }

  /** Closes whatever was started, once; later calls return at once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeQuietly("the status ticker", ticker);
      closeQuietly("the sync node", node);
      closeQuietly("the network", transport);
      closeQuietly("the index", store);
      if (node != null) {
        log.info("stopped");
      }
    } finally {
      closedLatch.countDown();
    }
  }

  /** Blocks until {@link #close()} has finished. */
  void awaitClosed() throws InterruptedException {
    closedLatch.await();
  }

  private static void closeQuietly(String what, AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", what, e.toString());
    }
  }
}
