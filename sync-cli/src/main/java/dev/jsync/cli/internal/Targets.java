package dev.jsync.cli.internal;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses peer addresses as given to {@code -t}: {@code host:port}, {@code [v6address]:port}, a
 * bare host or address (port 7777), or a bare IPv6 address such as {@code fd7a:115c::1} (port
 * 7777). Guava's {@link HostAndPort} splits host from port and range-checks the port; this class
 * then checks what Guava leaves open: a host with colons must be an IPv6 address (so
 * {@code bad:host:99999} is refused rather than taken for one), brackets hold IPv6 addresses
 * only, a host name must be one ({@link #isHostName}), and port 0 or
 * a dangling {@code :} are refused. Host names stay unresolved: the transport resolves them at
 * every dial, so a name that only resolves once a VPN is up still works. Stateless.
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
    if (t.isEmpty()) {
      throw bad(text, "it is empty");
    }
    if (t.endsWith(":") && !t.endsWith("::")) {
      throw bad(text, "the port after ':' is missing");
    }
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(t);
    } catch (IllegalArgumentException e) {
      throw bad(text, guavaReason(t, e));
    }
    String host = hp.getHost();
    if (host.isEmpty()) {
      throw bad(text, "the host is missing");
    }
    boolean bracketed = t.startsWith("[");
    if (bracketed || host.indexOf(':') >= 0) {
      if (!isIpv6(host)) {
        throw bad(text, bracketed ? "brackets are for IPv6 addresses only"
            : "'" + host + "' has several colons but is not an IPv6 address; an IPv6 address with a port is"
                + " written [ADDRESS]:PORT");
      }
    } else if (!InetAddresses.isInetAddress(host) && !isHostName(host)) {
      throw bad(text, "'" + host + "' is not a host name or address");
    }
    int port = hp.getPortOrDefault(DEFAULT_PORT);
    if (port == 0) {
      throw bad(text, "port 0 is not between 1 and 65535");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * A host name as DNS writes one: dot-separated labels of 1 to 63 letters, digits, {@code -} or
   * {@code _} (not at either end), at most 253 characters, a final dot allowed, and a last label
   * that is not all digits (so {@code 999.1.1.1} is not taken for a name). Letters outside ASCII
   * are allowed for internationalised names; the resolver decides whether one exists.
   */
  static boolean isHostName(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > 253) {
      return false;
    }
    String[] labels = h.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63 || !isLabelEnd(label.charAt(0))
          || !isLabelEnd(label.charAt(label.length() - 1))) {
        return false;
      }
      if (!label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean isLabelEnd(char c) {
    return Character.isLetterOrDigit(c);
  }

  private static boolean isIpv6(String host) {
    return host.indexOf(':') >= 0 && InetAddresses.isInetAddress(host);
  }

  /** Guava's message repeats the whole text; this says what is wrong with it in jsync's words. */
  private static String guavaReason(String text, IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Port number out of range")) {
      return "port " + text.substring(text.lastIndexOf(':') + 1) + " is not between 1 and 65535";
    }
    if (m.startsWith("Unparseable port number")) {
      return "'" + text.substring(text.lastIndexOf(':') + 1) + "' is not a port number";
    }
    if (text.startsWith("[") && text.indexOf(']') < 0) {
      return "a '[' without its ']'";
    }
    if (text.startsWith("[")) {
      return "only ':' and a port may follow ']'";
    }
    return m;
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
