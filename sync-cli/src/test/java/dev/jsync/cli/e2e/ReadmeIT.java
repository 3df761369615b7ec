package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands, run. Its quick start is played on two devices, each a home folder of
 * its own on this machine: every shell block tagged {@code device=one}, {@code two} or
 * {@code both} runs in order, its {@code mkdir} and {@code printf} lines under {@code sh} with
 * {@code HOME} set to that device's home, its {@code ./jsync} lines through the runnable jar.
 * Two things are translated, as a network would: {@code laptop} (device one's name) becomes
 * 127.0.0.1 and device one's port, and each node gets {@code --bind 127.0.0.1} and a free port
 * unless it names its own. The devices must then sync a file, and {@code ./jsync status} must say
 * what the README says it says. Every other {@code jsync} command in the README (Tailscale,
 * Windows) must parse with the real jar; the few commands that install software or run the
 * build are listed here as not run, so a new command in the README fails this test until it is
 * run or listed.
 */
class ReadmeIT {

  /** README commands this test does not run, and why. */
  private static final Map<String, String> NOT_RUN = Map.of(
      "git clone <this repository's address> jsync", "downloads the repository this test runs in",
      "cd jsync", "the checkout is already the working folder",
      "./mvnw -B verify", "this is the command that runs this test",
      "mkdir \"%USERPROFILE%\\Notes\"", "a Windows command; the same step runs as mkdir -p above");

  private static final Pattern FENCE = Pattern.compile("(?ms)^```([^\\n]*)\\n(.*?)^```\\s*$");

  @TempDir
  Path dir;

  private final List<Process> nodes = new ArrayList<>();

  private record Block(String language, String device, List<String> commands) {
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (Process p : nodes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static List<Block> blocks(String markdown) {
    List<Block> out = new ArrayList<>();
    Matcher m = FENCE.matcher(markdown);
    while (m.find()) {
      String[] info = m.group(1).strip().split("\\s+");
      String device = "";
      for (String word : info) {
        if (word.startsWith("device=")) {
          device = word.substring("device=".length());
        }
      }
      List<String> commands = new ArrayList<>();
      StringBuilder pending = new StringBuilder();
      for (String line : m.group(2).split("\n")) {
        String l = line.strip();
        if (l.endsWith("\\") && !info[0].equals("bat")) {
          pending.append(l, 0, l.length() - 1).append(' ');
          continue;
        }
        l = pending + l;
        pending.setLength(0);
        if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("rem ")) {
          commands.add(l);
        }
      }
      out.add(new Block(info[0], device, commands));
    }
    return out;
  }

  /**
   * Splits a command line into words as a shell would for these simple lines: quotes, {@code ~/}
   * and {@code %USERPROFILE%} become {@code home}, {@code $(tailscale ip -4)} becomes 127.0.0.1.
   */
  static List<String> words(String line, Path home) {
    String l = line.replace("$(tailscale ip -4)", "127.0.0.1").replace("%USERPROFILE%", home.toString());
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < l.length(); i++) {
      char c = l.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        if (!inWord && c == '~' && i + 1 < l.length() && l.charAt(i + 1) == '/') {
          w.append(home);
          inWord = true;
          continue;
        }
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  private static boolean isJsync(String command) {
    return command.startsWith("./jsync ") || command.startsWith("jsync.cmd ");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theQuickStartSyncsTwoDevicesAndEveryOtherCommandParses() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<Block> blocks = blocks(readme);
    Map<String, Path> homes = Map.of("one", Files.createDirectories(dir.resolve("one")),
        "two", Files.createDirectories(dir.resolve("two")));
    Map<String, Integer> ports = Map.of("one", freePort(), "two", freePort());
    Set<String> ran = new java.util.LinkedHashSet<>();
    boolean statusChecked = false;

    for (Block b : blocks) {
      if (!b.language().equals("sh") && !b.language().equals("bat")) {
        continue;
      }
      for (String command : b.commands()) {
        if (NOT_RUN.containsKey(command)) {
          continue;
        }
        List<String> devices = switch (b.device()) {
          case "one", "two" -> List.of(b.device());
          case "both" -> List.of("one", "two");
          default -> List.of();
        };
        if (devices.isEmpty()) {
          // Not part of the two-device recipe: a jsync command that must parse with the real jar.
          assertThat(isJsync(command)).as("README command neither run nor listed as not run: %s", command).isTrue();
          parses(command, homes.get("one"));
          ran.add(command);
          continue;
        }
        for (String device : devices) {
          Path home = homes.get(device);
          if (!isJsync(command)) {
            ProcessBuilder shell = new ProcessBuilder("sh", "-c", command).directory(home.toFile())
                .redirectErrorStream(true);
            shell.environment().put("HOME", home.toString());
            Process sh = shell.start();
            assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sh.exitValue()).as("%s: %s", command,
                new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
          } else {
            statusChecked |= runJsync(command, device, home, homes, ports);
          }
          ran.add(command);
        }
      }
    }
    assertThat(statusChecked).as("the README's status command was run against the two devices").isTrue();
    assertThat(ran).as("commands run from the README").hasSizeGreaterThanOrEqualTo(8);
  }

  /** Runs one {@code ./jsync} line of the recipe on {@code device}; true if it was the status check. */
  private boolean runJsync(String command, String device, Path home, Map<String, Path> homes,
      Map<String, Integer> ports) throws Exception {
    List<String> args = new ArrayList<>(words(command, home));
    args.remove(0);
    if (args.get(0).equals("secret")) {
      Run r = Run.of(dir, Map.of(), args.toArray(String[]::new));
      assertThat(r.exitCode()).isZero();
      assertThat(r.out().strip()).matches("[a-z2-9]{5}(-[a-z2-9]{5}){5}");
      return false;
    }
    if (args.get(0).equals("status")) {
      Path notes = homes.get(device).resolve("Notes");
      // Device one has a file; status says in sync once device two has it too.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Run r = Run.of(dir, Map.of(), args.toArray(String[]::new));
      while (r.exitCode() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        r = Run.of(dir, Map.of(), args.toArray(String[]::new));
      }
      assertThat(r.exitCode()).as("status: %s%s", r.out(), r.err()).isZero();
      assertThat(r.out()).startsWith("jsync is running on " + notes)
          .contains("in sync with every peer", "PEER", "CONNECTED", "TO FETCH", "IN SYNC")
          .containsPattern("(?m)^  \\S+ +[a-z2-7]{7} +yes +nothing +yes$");
      assertThat(Files.readString(notes.resolve("from-one.md"))).isEqualTo("written on device one");
      return true;
    }
    // A node: on 127.0.0.1 and a free port; `laptop` is device one.
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("laptop")) {
        args.set(i, "127.0.0.1:" + ports.get("one"));
      }
    }
    if (!args.contains("--bind")) {
      args.addAll(List.of("--bind", "127.0.0.1"));
    }
    if (!args.contains("--port")) {
      args.addAll(List.of("--port", Integer.toString(ports.get(device))));
    }
    Path log = dir.resolve(device + ".log");
    ProcessBuilder pb = new ProcessBuilder(Jsync.command(args)).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("JSYNC_PASSWORD");
    Process p = pb.start();
    nodes.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("listening on") && System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("%s died: %s", device, Files.readString(log)).isTrue();
      Thread.sleep(100);
    }
    assertThat(Files.readString(log)).contains("listening on");
    if (device.equals("one")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          home.resolve(".config/jsync/secret")))).isEqualTo("rw-------");
      Files.writeString(home.resolve("Notes/from-one.md"), "written on device one");
    }
    return false;
  }

  /** The real jar parses {@code command}'s options ({@code --help} stops it before it would start a node). */
  private void parses(String command, Path home) {
    List<String> args = new ArrayList<>(words(command, home));
    args.remove(0);
    if (args.get(0).equals("secret")) {
      Run r = Run.of(dir, Map.of(), "secret");
      assertThat(r.exitCode()).isZero();
      return;
    }
    args.add("--help");
    Run r = Run.of(dir, new HashMap<>(), args.toArray(String[]::new));
    assertThat(r.exitCode()).as("%s: %s", command, r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Usage: jsync");
  }

  @Test
  void theReadmesEmbeddingExampleIsTheOneTheTestSuiteRuns() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    String example = Files.readString(Path.of("src/test/java/dev/jsync/cli/EmbeddingExampleTest.java"));
    List<Block> java = blocks(readme).stream().filter(b -> b.language().equals("java")).toList();
    assertThat(java).hasSize(1);
    String squeezedExample = example.replaceAll("\\s+", " ");
    assertThat(squeezedExample).contains(String.join(" ", java.get(0).commands()).replaceAll("\\s+", " "));
  }
}
