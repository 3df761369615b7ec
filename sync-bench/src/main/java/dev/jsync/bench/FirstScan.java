package dev.jsync.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.internal.DiskView;
import dev.jsync.core.internal.NodeThreads;
import dev.jsync.core.internal.Scanner;
import dev.jsync.testkit.InMemoryIndexStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first scan of a folder, alone: a walk of a vault no index knows yet, hashing every file,
 * on one thread ({@code sequential}: a scanner with no helpers) and with the I/O pool a node
 * makes ({@code parallel}: {@link NodeThreads#own()}, whose threads take files from the scan).
 * Nothing is recorded: the scan's changes are only counted.
 *
 * <p>Each measurement that matters for a cold start is a fresh JVM (started with this JVM's own
 * flags, so run it with the launcher's to see a node's cold JIT) doing one scan; the two kinds
 * alternate, the order swapping each round, so a slow moment of a shared machine falls on both.
 * Then, in this JVM, a few warm scans of each kind, alternating the same way. Every line carries
 * the load average at its start.
 *
 * <pre>
 * java [the launcher's JVM flags] -cp sync-bench/target/benchmarks.jar dev.jsync.bench.FirstScan
 *     [--files 10000] [--folders 200] [--rounds 3] [--warm 3] [--work DIR]
 * </pre>
 */
public final class FirstScan {

  private FirstScan() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--child")) {
      Measured m = scan(Path.of(args[2]), args[1].equals("parallel"));
      System.out.println("RESULT " + m.changes + " " + m.nanos + " " + m.cpuNanos);
      return;
    }
    int files = 10_000;
    int folders = 200;
    int rounds = 3;
    int warm = 3;
    Path work = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--files" -> files = Integer.parseInt(args[i + 1]);
        case "--folders" -> folders = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--warm" -> warm = Integer.parseInt(args[i + 1]);
        case "--work" -> work = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path vault = (work == null ? Files.createTempDirectory("jsync-first-scan") : Files.createDirectories(work))
        .resolve("vault-" + files);
    if (!Files.isDirectory(vault)) {
      dev.jsync.bench.e2e.Datasets.vault(Files.createDirectories(vault), files, folders, 1);
    }
    System.out.printf(Locale.ROOT, "first scan of %s (%d notes, %d folders); %d processors; JVM flags %s%n", vault,
        files, folders, Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    scan(vault, false); // reads the vault once, so that every measured scan finds it in the page cache

    List<String> summary = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (String mode : round % 2 == 1 ? List.of("sequential", "parallel") : List.of("parallel", "sequential")) {
        String load = loadAverage();
        Measured m = child(vault, mode);
        summary.add(line("cold", round, mode, m, load));
        System.out.println(summary.get(summary.size() - 1));
      }
    }
    for (int round = 1; round <= warm; round++) {
      for (boolean parallel : round % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
        String load = loadAverage();
        Measured m = scan(vault, parallel);
        System.out.println(line("warm", round, parallel ? "parallel" : "sequential", m, load));
      }
    }
  }

  private static String line(String kind, int round, String mode, Measured m, String load) {
    return String.format(Locale.ROOT, "%s round %d %-10s %,d changes in %7.1f ms, %7.1f ms CPU (process)   load %s",
        kind, round, mode, m.changes, m.nanos / 1e6, m.cpuNanos / 1e6, load);
  }

  /** One scan in a fresh JVM with this JVM's flags. */
  private static Measured child(Path vault, String mode) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FirstScan.class.getName());
    cmd.add("--child");
    cmd.add(mode);
    cmd.add(vault.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (l.startsWith("RESULT ")) {
          result = l;
        } else {
          System.out.println("  child: " + l);
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("the " + mode + " scan's JVM failed");
    }
    String[] f = result.split(" ");
    return new Measured(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }

  /** A first scan: against an empty index, so every file is hashed. */
  private static Measured scan(Path vault, boolean parallel) {
    NodeThreads threads = NodeThreads.own();
    try {
      Scanner scanner = new Scanner(new DiskView(vault), new InMemoryIndexStore(), parallel ? threads.io() : null);
      AtomicInteger changes = new AtomicInteger();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      Scanner.Result r = scanner.scanAll(IgnoreRules.defaults(), chunk -> changes.addAndGet(chunk.size()));
      long nanos = System.nanoTime() - t0;
      long cpu = processCpuNanos() - cpu0;
      if (!r.errors().isEmpty() || !r.unstable().isEmpty()) {
        throw new IllegalStateException("scan errors " + r.errors() + ", unstable " + r.unstable());
      }
      return new Measured(changes.get() + r.changes().size(), nanos, cpu);
    } finally {
      threads.shutdown();
    }
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The 1, 5 and 15 minute load averages. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private record Measured(int changes, long nanos, long cpuNanos) {}
}
