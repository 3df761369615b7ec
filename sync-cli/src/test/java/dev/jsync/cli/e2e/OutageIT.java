package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The network between two nodes goes away three times in a row (every connection reset, new
 * ones refused for a few seconds, as when a laptop sleeps or a VPN reconnects), with saves on
 * both sides and a large download under way while it is down. Each time the nodes must
 * reconnect by themselves and converge, with no temp file left behind, on either TLS engine.
 */
class OutageIT {

  static final Duration DOWN = Duration.ofSeconds(4);

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @ParameterizedTest(name = "TLS engine {0}")
  @ValueSource(strings = {"jdk", "openssl"})
  void nodesReconnectAndConvergeAfterEveryOutage(String tls) throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Relay network = cluster.dialThroughRelay(a, b);
    for (Node n : new Node[] {a, b}) {
      n.extraArgs.addAll(java.util.List.of("--tls", tls));
    }
    a.write("start.md", "before any outage");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    Random random = new Random(3);
    for (int round = 1; round <= 3; round++) {
      // A file large enough to be in flight when the network goes (~24 MiB).
      byte[] big = new byte[24 << 20];
      random.nextBytes(big);
      Files.write(a.path("round-" + round + "/big.bin"), createParents(a, "round-" + round + "/big.bin", big));
      Thread.sleep(300);
      int r = round;
      Thread outage = new Thread(() -> {
        try {
          network.outage(DOWN);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      outage.start();
      Thread.sleep(500);
      a.write("round-" + r + "/from-a.md", "a saved this during outage " + r);
      b.write("round-" + r + "/from-b.md", "b saved this during outage " + r);
      outage.join();
      cluster.awaitConverged(a, b);
      assertThat(b.read("round-" + r + "/from-a.md")).isEqualTo("a saved this during outage " + r);
      assertThat(a.read("round-" + r + "/from-b.md")).isEqualTo("b saved this during outage " + r);
      assertThat(Files.size(b.path("round-" + r + "/big.bin"))).isEqualTo(big.length);
    }
    for (Node n : new Node[] {a, b}) {
      assertThat(n.log()).as(n + "'s log").doesNotContain("no usable certificates", "index gap", "conflict");
    }
  }

  private static byte[] createParents(Node n, String rel, byte[] bytes) throws java.io.IOException {
    Files.createDirectories(n.path(rel).getParent());
    return bytes;
  }
}
