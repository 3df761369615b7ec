package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.cli.internal.StatusProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code jsync forget} while jsync runs on the folder: the running node is asked to forget the
 * device and does, without a restart; a device it is connected to is not forgotten. Real jsync
 * processes on 127.0.0.1.
 */
class ForgetIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void aRunningNodeForgetsAGoneDeviceWhenAskedButNotAConnectedOne() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Node gone = cluster.add("gone");
    Cluster.link(a, b);
    Cluster.link(a, gone);
    a.write("note.md", "text");
    a.start();
    b.start();
    gone.start();
    cluster.awaitConverged(a, b, gone);
    String dir = a.folder.toString();

    Run connected = Run.of(cluster.base(), Map.of(), "forget", "-d", dir, "gone");
    assertThat(connected.exitCode()).as(connected.err()).isEqualTo(4);
    assertThat(connected.err()).contains("is connected to this device now");

    gone.stop();
    cluster.await("a sees gone disconnected", () -> a.status().map(s -> s.connectedPeers() == 1).orElse(false));
    assertThat(a.status().orElseThrow().inSync()).as("a waits for the gone device").isFalse();
    Run forget = Run.of(cluster.base(), Map.of(), "forget", "-d", dir, "gone");
    assertThat(forget.exitCode()).as(forget.err()).isZero();
    assertThat(forget.out()).startsWith("forgot gone (");

    assertThat(a.running()).as("a was not stopped").isTrue();
    cluster.await("a's status lists one peer", () -> a.status().map(s -> s.peers() == 1).orElse(false));
    String peers = Run.of(cluster.base(), Map.of(), "peers", "-d", dir).out();
    assertThat(peers).contains("b ").doesNotContain("gone");
    assertThat(a.log()).contains("forgot device");
    // a goes on syncing, and is in sync again: it no longer waits for the gone device.
    b.write("later.md", "later");
    cluster.await("later.md on a, and a in sync", () -> java.nio.file.Files.exists(a.path("later.md"))
        && a.status().map(StatusProbe.Seen::inSync).orElse(false));
  }
}
