package dev.jsync.net.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The unit a remote address is counted in for connection caps and failure penalties: an IPv4
 * address as it is, an IPv6 address by its /64 prefix (one host usually holds a whole /64 and
 * can pick any address in it, so counting single IPv6 addresses would count nothing). Stateless.
 */
final class AddressKeys {

  private AddressKeys() {
  }

  /** The key {@code address} is counted under; null stays null. */
  static InetAddress of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] prefix = Arrays.copyOf(Arrays.copyOf(address.getAddress(), 8), 16);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }
}
