package dev.jsync.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A byte-level TCP relay on 127.0.0.1 in front of a real listener, which a test can kill (every
 * socket reset at once, as when a peer's machine dies) or freeze (bytes stop flowing, as when a
 * peer hangs or the network silently drops packets). Thread-safe.
 */
final class TcpRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  TcpRelay(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "relay-accept");
    accept.setDaemon(true);
    accept.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(target.getAddress(), target.getPort());
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          while (frozen && !to.isClosed()) {
            Thread.sleep(10);
          }
          out.write(buffer, 0, n);
        }
      } catch (IOException | InterruptedException e) {
        // Closed or killed.
      } finally {
        closeQuietly(to);
      }
    }, "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Resets every relayed connection at once (RST, no goodbye). */
  void kill() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException e) {
        // Already closed.
      }
      closeQuietly(s);
    }
  }

  /** Stops forwarding bytes, leaving the connections open. */
  void freeze() {
    frozen = true;
  }

  @Override
  public void close() {
    closeQuietly(server);
    kill();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Nothing to do.
    }
  }
}
