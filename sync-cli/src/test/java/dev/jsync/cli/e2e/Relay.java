package dev.jsync.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of one node's port, for end-to-end tests: it counts the
 * bytes it carries, and an {@link #outage} drops every connection at once and refuses new ones
 * for a while, as a network that goes away (a laptop asleep, a VPN reconnecting) does.
 * Thread-safe.
 */
final class Relay implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile ServerSocket server;
  private volatile boolean closed;
  /** Bytes per second each direction of each connection may carry; 0 for no limit. */
  private volatile long bytesPerSecond;

  Relay(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.server = listen(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = server.getLocalPort();
    startAccepting(server);
  }

  /** The port peers dial instead of the node's. */
  int port() {
    return port;
  }

  /** Bytes carried so far, both directions together (TLS records included). */
  long bytes() {
    return bytes.get();
  }

  /**
   * Limits each direction of each connection to {@code bytesPerSecond} (0: no limit), so that a
   * transfer lasts long enough for a test to act in the middle of it.
   */
  void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Resets every connection, refuses new ones for {@code down}, then accepts again. Blocks. */
  void outage(Duration down) throws IOException, InterruptedException {
    server.close();
    for (Socket s : sockets) {
      reset(s);
    }
    sockets.clear();
    Thread.sleep(down.toMillis());
    if (!closed) {
      server = listen(port);
      startAccepting(server);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      reset(s);
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return s;
  }

  private void startAccepting(ServerSocket s) {
    Thread accept = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket in = s.accept();
          Socket out;
          try {
            out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          } catch (IOException e) {
            reset(in);
            continue;
          }
          sockets.add(in);
          sockets.add(out);
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          return;
        }
      }
    }, "relay-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer, 0, chunk()); n >= 0; n = in.read(buffer, 0, chunk())) {
          out.write(buffer, 0, n);
          bytes.addAndGet(n);
          long limit = bytesPerSecond;
          if (limit > 0) {
            Thread.sleep(n * 1000L / limit);
          }
        }
      } catch (IOException | InterruptedException e) {
        // one side went away: take the other down too
      }
      reset(from);
      reset(to);
    }, "relay-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** How much to read at once: a tenth of a second's worth while throttled, so the rate is smooth. */
  private int chunk() {
    long limit = bytesPerSecond;
    return limit > 0 ? (int) Math.max(1024, Math.min(64 * 1024, limit / 10)) : 64 * 1024;
  }

  /** Closes with an RST, as a dead path or a crashed peer looks to the other end. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
