package dev.jsync.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Configurations for loopback tests: 127.0.0.1 only, ephemeral ports, short timers. */
final class TestNodes {

  static final String SECRET = "correct horse battery staple";

  private TestNodes() {
  }

  static NetLimits fastLimits() {
    return NetLimits.defaults()
        .withReconnect(Duration.ofMillis(50), Duration.ofMillis(400))
        .withKeepAlive(Duration.ofMillis(500), Duration.ofSeconds(3));
  }

  static NetConfig config(Path stateDir, String name, String secret, InetSocketAddress... peers) {
    return NetConfig.of(stateDir, secret)
        .withListen(new InetSocketAddress("127.0.0.1", 0))
        .withPeers(List.of(peers))
        .withLimits(fastLimits());
  }
}
