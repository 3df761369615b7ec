package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What another user of the same machine could reach of a running node: its state folder, its
 * device key, its log. Real jsync processes on 127.0.0.1.
 */
class LocalFilesIT {

  /** Distinctive, so that finding it anywhere in a log cannot be a coincidence. */
  private static final String SECRET = "local-files-IT-secret-Zq93xKv";

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void twoNodesAtDebugLevelLogNoSecretKeepTheirStateOwnerOnlyAndRefuseAReadableKey() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    for (Node n : List.of(a, b)) {
      n.secret = SECRET;
      n.extraArgs.add("-v");
    }
    a.write("notes/one.md", "from a");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);
    b.write("notes/two.md", "from b");
    cluster.await("b's note on a", () -> "from b".equals(a.read("notes/two.md")));
    assertThat(a.stop()).isZero();
    assertThat(b.stop()).isZero();

    for (Node n : List.of(a, b)) {
      assertThat(n.log()).as("%s logged at debug level", n).contains(" DEBUG ");
      assertThat(n.log()).as("%s's log", n).doesNotContain(SECRET);
      Path state = n.folder.resolve(".jsync");
      assertThat(mode(state)).isEqualTo("rwx------");
      for (String file : List.of("device.pem", "status.json", "lock")) {
        assertThat(mode(state.resolve(file))).as(file).isEqualTo("rw-------");
      }
      assertThat(mode(state.resolve("index"))).isEqualTo("rwx------");
    }

    // A device key others can read (a careless copy or restore) stops the next start.
    Path key = a.folder.resolve(".jsync/device.pem");
    byte[] identity = Files.readAllBytes(key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Map<String, String> env = new HashMap<>();
    env.put("JSYNC_PASSWORD", SECRET);
    Run refused = Run.of(cluster.base(), env, "-d", a.folder.toString(), "--bind", "127.0.0.1", "--port", "0");
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
    assertThat(refused.err().strip()).startsWith("jsync: this device's private key can be read by other users")
        .contains("chmod 600 " + key).doesNotContain("\n");
    assertThat(mode(key)).as("left for the user to decide").isEqualTo("rw-r--r--");
    assertThat(Files.readAllBytes(key)).isEqualTo(identity);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
