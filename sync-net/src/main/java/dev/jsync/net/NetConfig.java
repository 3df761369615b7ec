package dev.jsync.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link NettyTransport} needs: where to listen, whom to dial, the shared secret, where the
 * device's certificate lives, its name, and its limits. Immutable; {@link #toString()} never
 * shows the secret.
 *
 * @param listen address and port to accept connections on ({@code 0.0.0.0:7777} by default;
 *     port 0 picks a free port)
 * @param peers addresses to dial and keep dialing; unresolved addresses are resolved at each dial
 * @param secret the shared secret every device of the cluster is given
 * @param stateDir folder for the device's key and certificate (created if missing)
 * @param deviceName a human-readable name sent in hellos, for logs and status
 * @param limits bounds and timers
 * @param tlsEngine which TLS implementation to use ({@link TlsEngine#AUTO} by default)
 */
public record NetConfig(
    InetSocketAddress listen,
    List<InetSocketAddress> peers,
    String secret,
    Path stateDir,
    String deviceName,
    NetLimits limits,
    TlsEngine tlsEngine) {

  /** jSync's default port. */
  public static final int DEFAULT_PORT = 7777;

  public NetConfig {
    Objects.requireNonNull(listen, "listen");
    peers = List.copyOf(peers);
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the shared secret must not be empty");
    }
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(deviceName, "deviceName");
    if (deviceName.isEmpty() || deviceName.length() > 255 || deviceName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("device name must be 1..255 printable characters: " + deviceName);
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tlsEngine, "tlsEngine");
  }

  /** A configuration with the {@linkplain TlsEngine#AUTO automatic} TLS engine. */
  public NetConfig(InetSocketAddress listen, List<InetSocketAddress> peers, String secret, Path stateDir,
      String deviceName, NetLimits limits) {
    this(listen, peers, secret, stateDir, deviceName, limits, TlsEngine.AUTO);
  }

  /** Listening on every interface at port 7777, no peers, named after the host, default limits. */
  public static NetConfig of(Path stateDir, String secret) {
    return new NetConfig(new InetSocketAddress(DEFAULT_PORT), List.of(), secret, stateDir, defaultName(),
        NetLimits.defaults());
  }

  public NetConfig withListen(InetSocketAddress address) {
    return new NetConfig(address, peers, secret, stateDir, deviceName, limits, tlsEngine);
  }

  public NetConfig withPeers(List<InetSocketAddress> addresses) {
    return new NetConfig(listen, addresses, secret, stateDir, deviceName, limits, tlsEngine);
  }

  public NetConfig withDeviceName(String name) {
    return new NetConfig(listen, peers, secret, stateDir, name, limits, tlsEngine);
  }

  public NetConfig withLimits(NetLimits newLimits) {
    return new NetConfig(listen, peers, secret, stateDir, deviceName, newLimits, tlsEngine);
  }

  public NetConfig withTlsEngine(TlsEngine engine) {
    return new NetConfig(listen, peers, secret, stateDir, deviceName, limits, engine);
  }

  @Override
  public String toString() {
    return "NetConfig[listen=" + listen + ", peers=" + peers + ", secret=(hidden), stateDir=" + stateDir
        + ", deviceName=" + deviceName + ", limits=" + limits + ", tlsEngine=" + tlsEngine + "]";
  }

  private static String defaultName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = System.getenv("COMPUTERNAME");
    }
    if (host == null || host.isBlank()) {
      return "jsync";
    }
    String clean = host.strip().replaceAll("\\p{Cntrl}", "");
    return clean.isEmpty() ? "jsync" : clean.substring(0, Math.min(255, clean.length()));
  }
}
