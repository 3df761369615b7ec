package dev.jsync.cli.e2e;

import dev.jsync.cli.internal.StatusProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One device in an end-to-end test: a folder, a port on 127.0.0.1, the peers it dials, and the
 * jsync process running on it (if started). Each run's output goes to its own log file.
 */
final class Node {

  final String name;
  final Path folder;
  final int port;
  final List<Node> targets = new ArrayList<>();
  /** Ports on 127.0.0.1 dialed besides the targets' own (relays in front of them). */
  final List<Integer> targetPorts = new ArrayList<>();
  /** Further command-line arguments. */
  final List<String> extraArgs = new ArrayList<>();
  final java.util.Set<Node> peers = new java.util.LinkedHashSet<>();
  private final Path logDir;
  String secret = Cluster.SECRET;
  final java.util.Map<String, String> env = new java.util.HashMap<>();
  private Process process;
  private boolean meantToRun;
  private final List<Path> logs = new ArrayList<>();

  Node(String name, Path folder, int port, Path logDir) {
    this.name = name;
    this.folder = folder;
    this.port = port;
    this.logDir = logDir;
  }

  Node start() {
    if (running()) {
      throw new IllegalStateException(name + " is running");
    }
    List<String> args = new ArrayList<>(List.of("-d", folder.toString(), "--name", name, "--bind", "127.0.0.1",
        "--port", Integer.toString(port), "--scan-interval", "5s"));
    for (Node t : targets) {
      args.add("-t");
      args.add("127.0.0.1:" + t.port);
    }
    for (int p : targetPorts) {
      args.add("-t");
      args.add("127.0.0.1:" + p);
    }
    args.addAll(extraArgs);
    Path log = logDir.resolve(name + "-run" + (logs.size() + 1) + ".log");
    logs.add(log);
    ProcessBuilder pb = new ProcessBuilder(Jsync.command(args)).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JSYNC_PASSWORD", secret);
    pb.environment().putAll(env);
    try {
      process = pb.start();
      meantToRun = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Stops the node as systemd or Ctrl-C would (SIGTERM) and returns its exit code. */
  int stop() {
    meantToRun = false;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(name + " did not stop within 30 s of SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** True if the test started this run and has not stopped it, yet it is gone. */
  boolean diedUnexpectedly() {
    return meantToRun && !process.isAlive();
  }

  /**
   * Whether this run is alive or how it ended, for failure reports: a process the test did not
   * stop that exited with 143 (SIGTERM) or 137 (SIGKILL) was stopped from outside.
   */
  String describe() {
    if (process == null) {
      return "never started";
    }
    return process.isAlive() ? "running (pid " + process.pid() + ")"
        : "exited with " + process.exitValue() + " (pid " + process.pid() + ")";
  }

  /** Kills the node (SIGKILL): no shutdown hook, no goodbye. */
  void kill() {
    meantToRun = false;
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The status this run of the node wrote, if any yet. */
  Optional<StatusProbe.Seen> status() {
    return StatusProbe.read(folder.resolve(".jsync")).filter(s -> process != null && s.pid() == process.pid());
  }

  /** True when this run reports being in sync with every peer it knows, and knows {@code peers} of them. */
  boolean inSyncWith(int peers) {
    return status().map(s -> s.inSync() && s.connectedPeers() == peers).orElse(false);
  }

  /** The local sequence this run last reported; -1 before its first status. */
  long localSequence() {
    return status().map(StatusProbe.Seen::localSequence).orElse(-1L);
  }

  int peerCount() {
    return peers.size();
  }

  Path path(String rel) {
    return folder.resolve(rel);
  }

  void write(String rel, String content) {
    try {
      Path p = path(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String rel) {
    try {
      return Files.readString(path(rel), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /** This run's output so far. */
  String log() {
    return logs.isEmpty() ? "" : readLog(logs.get(logs.size() - 1));
  }

  /** Every run's output, for a failure report. */
  String allLogs() {
    StringBuilder b = new StringBuilder();
    for (Path p : logs) {
      b.append("----- ").append(p.getFileName()).append('\n').append(readLog(p));
    }
    return b.toString();
  }

  private static String readLog(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")\n";
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
