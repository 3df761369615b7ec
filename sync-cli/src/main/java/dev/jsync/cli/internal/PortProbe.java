package dev.jsync.cli.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds out whether the node will be able to listen, by binding the address once and letting it
 * go, before the state folder is created. The transport binds again moments later; losing that
 * race is still reported clearly, but the common mistakes (a second jsync on the same port,
 * another program on 7777, a {@code --bind} address this machine does not have) are caught
 * with nothing created. Binds a socket.
 */
final class PortProbe {

  private PortProbe() {
  }

  /** @throws BadInvocation with {@link ExitCodes#NETWORK} if {@code address} cannot be bound */
  static void check(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      // As the transport does: a port with connections in TIME_WAIT is free.
      socket.setReuseAddress(true);
      socket.bind(address);
    } catch (IOException e) {
      throw cannotListen(address, e);
    }
  }

  static BadInvocation cannotListen(InetSocketAddress address, Throwable e) {
    Throwable bind = e;
    while (bind != null && !(bind instanceof BindException)) {
      bind = bind.getCause();
    }
    String where = Targets.formatListen(address);
    String why = String.valueOf((bind != null ? bind : e).getMessage());
    if (why.contains("in use")) {
      return new BadInvocation(ExitCodes.NETWORK, "cannot listen on " + where + ": the port is already in use"
          + " (another jsync, or another program): stop it or choose another port with --port");
    }
    if (why.contains("assign")) {
      return new BadInvocation(ExitCodes.NETWORK, "cannot listen on " + where + ": no network interface of this"
          + " machine has that address: fix --bind, or leave it out to listen on all interfaces");
    }
    return new BadInvocation(ExitCodes.NETWORK, "cannot listen on " + where + ": " + why
        + ": choose another --port (ports below 1024 need privileges) or --bind address");
  }
}
