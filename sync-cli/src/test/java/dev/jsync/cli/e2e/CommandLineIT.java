package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command as a user meets it, through {@code java -jar jsync.jar}: a bad invocation prints
 * one line saying what is wrong and how to fix it, exits with its documented code, and leaves
 * the folder untouched.
 */
class CommandLineIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  private Run jsync(String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("JSYNC_PASSWORD", Cluster.SECRET);
    return Run.of(cluster.base(), env, args);
  }

  /** One line on standard error, nothing on standard output. */
  private static void assertOneLine(Run r, int exitCode, String says) {
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(exitCode);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).doesNotContain("\n").startsWith("jsync: ").contains(says);
  }

  @Test
  void helpAndVersionWorkFromTheShadedJar() {
    Run help = jsync("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("-d, --directory", "--password-file", "JSYNC_PASSWORD", "process list",
        "Exit codes", "jsync status");
    Run version = jsync("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("jsync 0.");
  }

  @Test
  void badInvocationsSayWhatIsWrongInOneLineAndTouchNothing() throws Exception {
    Path folder = cluster.add("a").folder;
    String d = folder.toString();

    assertOneLine(jsync("-t", "localhost:7000"), 2, "no folder given");
    assertOneLine(jsync("-d", d + "/missing"), 3, "does not exist");
    assertThat(folder.resolve("missing")).doesNotExist();
    Files.writeString(folder.resolve("a-file"), "x");
    assertOneLine(jsync("-d", d + "/a-file"), 3, "is not a folder");
    assertOneLine(jsync("-d", d, "-t", "peer:"), 2, "target 'peer:' is malformed");
    assertOneLine(jsync("-d", d, "-t", "peer:99999"), 2, "not between 1 and 65535");
    assertOneLine(jsync("-d", d, "--no-such-flag"), 2, "Unknown option");
    assertOneLine(jsync("-d", d, "--scan-interval", "soon"), 2, "is not a duration");
    Run noSecret = Run.of(cluster.base(), nullMap("JSYNC_PASSWORD"), "-d", d, "-t", "peer");
    assertOneLine(noSecret, 2, "no shared secret");

    assertThat(Files.list(folder).map(p -> p.getFileName().toString())).containsExactly("a-file");
  }

  @Test
  void aPortInUseIsReportedBeforeTheStateFolderIsCreated() throws Exception {
    Path folder = cluster.add("a").folder;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      Run r = jsync("-d", folder.toString(), "--bind", "127.0.0.1", "--port", port);
      assertOneLine(r, 5, "already in use");
      assertThat(folder).isEmptyDirectory();
      // A folder synced before: its state is not even opened.
      Path state = Files.createDirectory(folder.resolve(".jsync"));
      assertOneLine(jsync("-d", folder.toString(), "--bind", "127.0.0.1", "--port", port), 5, "already in use");
      assertThat(state).isEmptyDirectory();
    }
  }

  @Test
  void aSecondJsyncOnTheSameFolderIsRefusedAndANonUtf8LocaleIsWarnedAbout() {
    Node a = cluster.add("a");
    // systemd's default locale: the JVM then cannot encode non-ASCII file names.
    a.env.put("LC_ALL", "C");
    a.env.put("LANG", "C");
    a.start();
    cluster.await("a running", () -> a.status().isPresent());
    assertThat(a.log()).contains("files with non-ASCII names cannot be synced", "LANG=C.UTF-8");

    Run second = jsync("-d", a.folder.toString(), "--bind", "127.0.0.1", "--port", "0");
    assertOneLine(second, 4, "another jsync is already syncing");
    Run samePort = jsync("-d", a.folder.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(a.port));
    assertOneLine(samePort, 4, "another jsync (process " + a.pid() + ") is already syncing");

    Run status = jsync("status", "-d", a.folder.toString());
    assertThat(status.exitCode()).as(status.out()).isEqualTo(7); // running, but no peer yet
    assertThat(status.out()).contains("jsync is running on " + a.folder, "no peer has connected yet");
  }

  @Test
  void statusOfAFolderThatNeverRan() {
    Path folder = cluster.add("a").folder;
    Run r = jsync("status", "-d", folder.toString());
    assertThat(r.exitCode()).isEqualTo(6);
    assertThat(r.out()).contains("jsync has not run on " + folder);
    assertThat(folder).isEmptyDirectory();
  }

  private static Map<String, String> nullMap(String key) {
    Map<String, String> m = new HashMap<>();
    m.put(key, null);
    return m;
  }
}
