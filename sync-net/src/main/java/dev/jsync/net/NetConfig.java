package dev.jsync.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link NettyTransport} needs: where to listen, whom to dial, the shared secret, where the
 * device's certificate lives, its limits and its TLS engine. Build one with
 * {@link #builder(Path, String)} (or {@link #of(Path, String)} for the defaults and the
 * {@code with*} shorthands); new settings arrive as builder methods with defaults, so callers
 * keep compiling.
 *
 * <p>The secret can be given but not read back: no public method returns it, and
 * {@link #toString()} shows {@code secret=(hidden)}. Configurations compare by identity, so the
 * secret takes part in no comparison either. The device's name is not set here: it is
 * {@link dev.jsync.core.SyncOptions#deviceName()}, which the node sends in its hellos.
 *
 * <p>Immutable and thread-safe.
 */
public final class NetConfig {

  /** jSync's default port. */
  public static final int DEFAULT_PORT = 7777;

  private final InetSocketAddress listen;
  private final List<InetSocketAddress> peers;
  private final String secret;
  private final Path stateDir;
  private final NetLimits limits;
  private final TlsEngine tlsEngine;

  private NetConfig(Builder b) {
    this.listen = b.listen;
    this.peers = b.peers;
    this.secret = b.secret;
    this.stateDir = b.stateDir;
    this.limits = b.limits;
    this.tlsEngine = b.tlsEngine;
  }

  /**
   * A builder for a device whose key and certificate live in {@code stateDir} (created if
   * missing), authenticating with {@code secret}; listening on every interface at port 7777, no
   * peers, default limits, {@link TlsEngine#AUTO}.
   *
   * @throws IllegalArgumentException if the secret is empty
   */
  public static Builder builder(Path stateDir, String secret) {
    return new Builder(stateDir, secret);
  }

  /** {@code builder(stateDir, secret).build()}: the defaults. */
  public static NetConfig of(Path stateDir, String secret) {
    return builder(stateDir, secret).build();
  }

  /** A builder holding these settings, the secret included. */
  public Builder toBuilder() {
    Builder b = new Builder(stateDir, secret);
    b.listen = listen;
    b.peers = peers;
    b.limits = limits;
    b.tlsEngine = tlsEngine;
    return b;
  }

  /** The address and port to accept connections on; port 0 picks a free port. */
  public InetSocketAddress listen() {
    return listen;
  }

  /** The addresses to dial and keep dialing; unresolved ones are resolved at each dial. */
  public List<InetSocketAddress> peers() {
    return peers;
  }

  /** The folder for the device's key and certificate. */
  public Path stateDir() {
    return stateDir;
  }

  public NetLimits limits() {
    return limits;
  }

  public TlsEngine tlsEngine() {
    return tlsEngine;
  }

  /** The shared secret: for the transport only, never public. */
  String secret() {
    return secret;
  }

  public NetConfig withListen(InetSocketAddress address) {
    return toBuilder().listen(address).build();
  }

  public NetConfig withPeers(List<InetSocketAddress> addresses) {
    return toBuilder().peers(addresses).build();
  }

  public NetConfig withLimits(NetLimits newLimits) {
    return toBuilder().limits(newLimits).build();
  }

  public NetConfig withTlsEngine(TlsEngine engine) {
    return toBuilder().tlsEngine(engine).build();
  }

  @Override
  public String toString() {
    return "NetConfig[listen=" + listen + ", peers=" + peers + ", secret=(hidden), stateDir=" + stateDir
        + ", limits=" + limits + ", tlsEngine=" + tlsEngine + "]";
  }

  /** Builds a {@link NetConfig}. Each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private final Path stateDir;
    private final String secret;
    private InetSocketAddress listen = new InetSocketAddress(DEFAULT_PORT);
    private List<InetSocketAddress> peers = List.of();
    private NetLimits limits = NetLimits.defaults();
    private TlsEngine tlsEngine = TlsEngine.AUTO;

    private Builder(Path stateDir, String secret) {
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(secret, "secret");
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("the shared secret must not be empty");
      }
      this.secret = secret;
    }

    public Builder listen(InetSocketAddress v) {
      this.listen = Objects.requireNonNull(v, "listen");
      return this;
    }

    /**
     * The peers to dial. Give them unresolved ({@link InetSocketAddress#createUnresolved}) so a
     * name is looked up at each dial, not once now.
     */
    public Builder peers(List<InetSocketAddress> v) {
      this.peers = List.copyOf(v);
      return this;
    }

    public Builder limits(NetLimits v) {
      this.limits = Objects.requireNonNull(v, "limits");
      return this;
    }

    public Builder tlsEngine(TlsEngine v) {
      this.tlsEngine = Objects.requireNonNull(v, "tlsEngine");
      return this;
    }

    public NetConfig build() {
      return new NetConfig(this);
    }

    @Override
    public String toString() {
      return "NetConfig.Builder[secret=(hidden)]";
    }
  }
}
