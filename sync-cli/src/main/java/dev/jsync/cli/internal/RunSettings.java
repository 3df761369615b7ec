package dev.jsync.cli.internal;

import java.net.InetAddress;
import dev.jsync.net.TlsEngine;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code jsync} run: everything {@link NodeRunner} needs, each value already checked
 * against the rules in docs/cli.md. Immutable; {@link #toString()} hides the secret.
 *
 * @param folder the folder to sync, absolute
 * @param stateDir where the index, identity and status file go
 * @param listen the address to accept peers on
 * @param targets peers to dial, unresolved
 * @param secret the shared secret
 * @param deviceName the name peers see
 * @param scanInterval time between full scans
 * @param tlsEngine which TLS implementation carries the connections
 */
record RunSettings(Path folder, Path stateDir, InetSocketAddress listen, List<InetSocketAddress> targets,
    String secret, String deviceName, Duration scanInterval, TlsEngine tlsEngine) {

  RunSettings {
    targets = List.copyOf(targets);
  }

  /** What the command line said, before validation. {@link #toString()} hides the password. */
  record Given(Path directory, List<String> targets, String password, Path passwordFile, int port, String bind,
      Path stateDir, String scanInterval, String name, String tls, boolean allowWeakSecret) {

    @Override
    public String toString() {
      return "Given[directory=" + directory + ", targets=" + targets + ", password="
          + (password == null ? "null" : "(hidden)") + ", passwordFile=" + passwordFile + ", port=" + port
          + ", bind=" + bind + ", stateDir=" + stateDir + ", scanInterval=" + scanInterval + ", name=" + name
          + ", tls=" + tls + ", allowWeakSecret=" + allowWeakSecret + "]";
    }
  }

  /**
   * Validates {@code given}: the checks touch nothing on disk, so a bad invocation leaves the
   * folder as it was.
   *
   * @throws BadInvocation saying what is wrong and how to fix it
   */
  static RunSettings validate(Given given, Map<String, String> env) {
    Path folder = Folders.checkFolder(given.directory());
    List<InetSocketAddress> targets = Targets.parseAll(given.targets() == null ? List.of() : given.targets());
    String secret = Secrets.resolve(given.password(), given.passwordFile(), env);
    if (given.port() < 0 || given.port() > 65535) {
      throw BadInvocation.usage("--port " + given.port() + " is not between 0 and 65535 (the default is "
          + Targets.DEFAULT_PORT + ")");
    }
    InetSocketAddress listen = listenAddress(given.bind(), given.port());
    String name = given.name() != null ? given.name().strip() : HostName.get(env);
    if (name.isEmpty() || name.length() > 255 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw BadInvocation.usage("--name must be 1 to 255 printable characters");
    }
    Duration scan = given.scanInterval() == null ? Duration.ofSeconds(60)
        : Durations.parse("--scan-interval", given.scanInterval());
    if (scan.compareTo(Duration.ofSeconds(1)) < 0) {
      throw BadInvocation.usage("--scan-interval " + given.scanInterval() + " is shorter than 1s: full scans"
          + " are a fallback for missed changes, so 60s (the default) is plenty");
    }
    TlsEngine tls = tlsEngine(given.tls());
    if (!given.allowWeakSecret()) {
      SecretStrength.refusal(secret).ifPresent(why -> {
        throw BadInvocation.usage(why);
      });
    }
    Path stateDir = Folders.stateDir(folder, given.stateDir());
    return new RunSettings(folder, stateDir, listen, targets, secret, name, scan, tls);
  }

  private static TlsEngine tlsEngine(String given) {
    if (given == null) {
      return TlsEngine.AUTO;
    }
    return switch (given.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "auto" -> TlsEngine.AUTO;
      case "jdk" -> TlsEngine.JDK;
      case "openssl" -> TlsEngine.OPENSSL;
      default -> throw BadInvocation.usage("--tls " + given + " is not one of auto, jdk, openssl (the default is auto:"
          + " OpenSSL where the jar has it for this platform, the JDK's TLS elsewhere)");
    };
  }

  private static InetSocketAddress listenAddress(String bind, int port) {
    if (bind == null || bind.isBlank()) {
      return new InetSocketAddress(port);
    }
    String host = bind.strip();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw BadInvocation.usage("--bind '" + bind + "' is not an address of this machine (cannot resolve it):"
          + " give an IP address such as 127.0.0.1, or leave it out to listen on all interfaces");
    }
  }

  @Override
  public String toString() {
    return "RunSettings[folder=" + folder + ", stateDir=" + stateDir + ", listen=" + listen + ", targets=" + targets
        + ", secret=(hidden), deviceName=" + deviceName + ", scanInterval=" + scanInterval
        + ", tlsEngine=" + tlsEngine + "]";
  }
}
