package dev.jsync.bench.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@code jsync} node as a user runs it: the repository's {@code ./jsync} launcher with its
 * default JVM settings, listening on 127.0.0.1. Stopped by its handle.
 */
final class JsyncProcess implements AutoCloseable {

  private static final Pattern CONNECTED = Pattern.compile("\"connected\"\\s*:\\s*true");
  static final String SECRET = "benchmark secret, not for real use";

  final Path folder;
  final int port;
  private final Process process;
  /** The node's output lines with the nanoTime each arrived at, when started by {@link #startLogged}. */
  private final List<TimedLine> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One line the node printed and when the benchmark read it ({@link System#nanoTime()}). */
  record TimedLine(long nanos, String text) {}

  private JsyncProcess(Path folder, int port, Process process) {
    this.folder = folder;
    this.port = port;
    this.process = process;
  }

  private static volatile Path recordings;
  private static volatile List<String> extraOptions = List.of();
  private static volatile List<String> javaOptions = List.of();

  /**
   * Adds {@code option} to every node's JVM from now on, through {@code JDK_JAVA_OPTIONS} (e.g.
   * an async-profiler agent: {@code -agentpath:/path/libasyncProfiler.so=start,event=itimer,file=/tmp/p-%p.txt,flat=25}).
   */
  static void addJavaOption(String option) {
    List<String> all = new ArrayList<>(javaOptions);
    all.add(option);
    javaOptions = List.copyOf(all);
  }

  /** Adds {@code option} to every node's command line from now on (e.g. {@code --merge=none}). */
  static void addNodeOption(String option) {
    List<String> all = new ArrayList<>(extraOptions);
    all.add(option);
    extraOptions = List.copyOf(all);
  }
  private static final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Has every node started from now on record a JFR profile (the {@code profile} settings,
   * written when the node stops) into {@code dir}, named by the order of starting and the
   * node's folder: {@code 03-vault1-b.jfr}. Passed in {@code JDK_JAVA_OPTIONS}, which the
   * {@code java} launcher adds to the launcher script's own options.
   */
  static void recordInto(Path dir) {
    recordings = dir;
  }

  private static void record(ProcessBuilder pb, Path folder) {
    List<String> options = new ArrayList<>(javaOptions);
    Path dir = recordings;
    if (dir != null) {
      String name = String.format(java.util.Locale.ROOT, "%02d-%s-%s.jfr", started.incrementAndGet(),
          folder.toAbsolutePath().getParent().getFileName(), folder.getFileName());
      options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir.resolve(name));
    }
    if (!options.isEmpty()) {
      pb.environment().put("JDK_JAVA_OPTIONS", String.join(" ", options));
    }
  }

  static JsyncProcess start(Path repo, Path folder, int port, List<Integer> peers, Path log) throws IOException {
    Files.createDirectories(folder);
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("jsync").toString(), "-d", folder.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "-q"));
    for (int p : peers) {
      cmd.add("-t");
      cmd.add("127.0.0.1:" + p);
    }
    cmd.addAll(extraOptions);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JSYNC_PASSWORD", SECRET);
    pb.environment().put("JSYNC_NO_BUILD", "1"); // sync-bench/e2e built it; never rebuild mid-run
    record(pb, folder);
    return new JsyncProcess(folder, port, pb.start());
  }

  /**
   * Starts a node that logs at its default level (INFO, not {@code -q}): every line it prints is
   * stamped with the time it arrives (the launcher's console appender writes each line as it is
   * logged) and copied to {@code log}. The cold scenarios read start-up's phases from them.
   */
  static JsyncProcess startLogged(Path repo, Path folder, int port, List<Integer> peers, Path log) throws IOException {
    Files.createDirectories(folder);
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("jsync").toString(), "-d", folder.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1"));
    for (int p : peers) {
      cmd.add("-t");
      cmd.add("127.0.0.1:" + p);
    }
    cmd.addAll(extraOptions);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JSYNC_PASSWORD", SECRET);
    pb.environment().put("JSYNC_NO_BUILD", "1");
    record(pb, folder);
    JsyncProcess node = new JsyncProcess(folder, port, pb.start());
    Thread reader = new Thread(() -> node.readLines(log), "e2e-output-" + port);
    reader.setDaemon(true);
    reader.start();
    return node;
  }

  private void readLines(Path log) {
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(new TimedLine(System.nanoTime(), line));
        out.write(line);
        out.newLine();
      }
    } catch (IOException e) {
      // The process ended; what was read is kept.
    }
  }

  /** The lines read so far (empty unless started by {@link #startLogged}). */
  List<TimedLine> lines() {
    return List.copyOf(lines);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The node's local sequence and files needed, from its status file; null if unreadable. */
  long[] sequenceAndNeeded() {
    try {
      String status = Files.readString(folder.resolve(".jsync/status.json"));
      java.util.regex.Matcher seq = LOCAL_SEQUENCE.matcher(status);
      java.util.regex.Matcher needed = FILES_NEEDED.matcher(status);
      return seq.find() && needed.find() ? new long[] {Long.parseLong(seq.group(1)), Long.parseLong(needed.group(1))}
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final Pattern LOCAL_SEQUENCE = Pattern.compile("\"localSequence\"\\s*:\\s*(\\d+)");
  private static final Pattern FILES_NEEDED = Pattern.compile("\"filesNeeded\"\\s*:\\s*(\\d+)");

  /** True once the node's status file shows a connected peer. */
  boolean connected() {
    try {
      Path status = folder.resolve(".jsync/status.json");
      return Files.exists(status) && CONNECTED.matcher(Files.readString(status)).find();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Polls {@code check} every {@code every} until it holds; returns the nanoTime when it did. */
  static long awaitTrue(java.util.function.BooleanSupplier check, Duration timeout, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return System.nanoTime();
      }
      if (!every.isZero()) {
        Thread.sleep(every.toMillis(), (int) (every.toNanos() % 1_000_000));
      } else {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("timed out after " + timeout);
  }
}
