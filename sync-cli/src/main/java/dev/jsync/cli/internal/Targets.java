package dev.jsync.cli.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses peer addresses as given to {@code -t}: {@code host:port}, {@code [v6address]:port}, a
 * bare host or address (port 7777), or a bare IPv6 address such as {@code fd7a:115c::1} (more
 * than one colon and no brackets cannot be {@code host:port}, so it is an address on port 7777).
 * Host names stay unresolved: the transport resolves them at every dial, so a name that only
 * resolves once a VPN is up still works. Stateless.
 */
final class Targets {

  static final int DEFAULT_PORT = 7777;

  private Targets() {
  }

  static List<InetSocketAddress> parseAll(List<String> texts) {
    List<InetSocketAddress> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(parse(t));
    }
    return out;
  }

  /** @throws BadInvocation if {@code text} is not one of the accepted forms */
  static InetSocketAddress parse(String text) {
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw bad(text, "a '[' without its ']'");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (rest.isEmpty()) {
        port = null;
      } else if (rest.startsWith(":")) {
        port = rest.substring(1);
      } else {
        throw bad(text, "unexpected text after ']'");
      }
      if (host.indexOf(':') < 0) {
        throw bad(text, "brackets are for IPv6 addresses only");
      }
    } else {
      int first = t.indexOf(':');
      int last = t.lastIndexOf(':');
      if (first >= 0 && first == last) {
        host = t.substring(0, first);
        port = t.substring(first + 1);
      } else {
        host = t; // no colon: a bare host; several: a bare IPv6 address
        port = null;
      }
    }
    if (host.isEmpty()) {
      throw bad(text, "the host is missing");
    }
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@' || c == '[' || c == ']')) {
      throw bad(text, "'" + host + "' is not a host name or address");
    }
    return InetSocketAddress.createUnresolved(host, port == null ? DEFAULT_PORT : parsePort(text, port));
  }

  private static int parsePort(String text, String port) {
    if (port.isEmpty()) {
      throw bad(text, "the port after ':' is missing");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw bad(text, "'" + port + "' is not a port number");
    }
    if (p < 1 || p > 65535) {
      throw bad(text, "port " + p + " is not between 1 and 65535");
    }
    return p;
  }

  private static BadInvocation bad(String text, String why) {
    return BadInvocation.usage("target '" + text + "' is malformed (" + why + "): write HOST:PORT, [IPv6]:PORT,"
        + " or just HOST for port " + DEFAULT_PORT + ", e.g. -t laptop:7777");
  }

  /**
   * How a listening address reads in logs and the status file: {@code *:7777} for every
   * interface, otherwise as {@link #format}.
   */
  static String formatListen(InetSocketAddress a) {
    return a.getAddress() != null && a.getAddress().isAnyLocalAddress() ? "*:" + a.getPort() : format(a);
  }

  /** The text form used in logs and the status file: {@code host:port} or {@code [v6]:port}. */
  static String format(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
