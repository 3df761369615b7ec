package dev.jsync.bench.e2e;

import dev.jsync.bench.e2e.JsyncProcess.TimedLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cold scenarios: jSync as a person meets it. Nothing runs before the clock starts; the data
 * is already in one node's folder; both nodes are launched with the launcher's defaults (the real
 * {@code jsync} script and runnable jar, the second a moment after the first, both on
 * 127.0.0.1), and the clock runs from the first launch until the other node's folder holds
 * everything. The rsync daemon (started once for the whole run) gets the same data in the same
 * repetition: one {@code rsync -a} run, started cold like any rsync run.
 *
 * <p>G is the 10,000-note vault, H the 1 GiB file. Each node's output is read line by line and
 * stamped as it arrives, and a timeline of each node is printed: the start-up phases the node
 * reports itself (its {@code started in} line: JVM and command line, settings, checks, index,
 * identity and TLS, history and node, loading the index and listening), then when it listened,
 * when its first scan ended and how long that scan (reading and hashing the folder, and writing
 * the index) took, when it first reached its peer, when the receiver had everything, and each
 * node's CPU time.
 */
final class ColdStart {

  private static final Duration LONG = Duration.ofMinutes(10);
  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+) s[^:]*: (.*)");
  private static final Pattern PHASE = Pattern.compile("([^,]+?) ([0-9.]+) s(?: \\(([0-9.]+) s CPU\\))?");
  private static final Pattern SCANNED = Pattern.compile("scanned .* in (\\d+) ms");

  private final Path repo;
  private final Path work;
  private final RsyncDaemon rsync;
  private final Results results;

  ColdStart(Path repo, Path work, RsyncDaemon rsync, Results results) {
    this.repo = repo;
    this.work = work;
    this.rsync = rsync;
    this.results = results;
  }

  /** G: the vault (10,000 notes of ~4 KiB in 200 folders) in node a's folder, node b's empty. */
  void vault(int rep) throws Exception {
    Path dir = Files.createDirectories(work.resolve("cold-vault" + rep));
    Path a = dir.resolve("a");
    Datasets.vault(a.resolve("vault"), 10_000, 200, 1000 + rep);
    EndToEnd.settle();
    double viaRsync = rsync.push(a.resolve("vault"), "cold-vault" + rep);
    EndToEnd.settle();
    double viaRsyncFsync = rsync.push(a.resolve("vault"), "cold-vault" + rep + "-fsync", "--fsync");
    EndToEnd.settle();
    Path target = dir.resolve("b/vault");
    Run run = launch(dir, () -> Trees.countFiles(target) == 10_000, Duration.ofMillis(20));
    double seconds = run.seconds();
    results.add("G", "10,000 notes, cold: first launch to peer identical", seconds, viaRsync, "s");
    results.add("G", "10,000 notes, cold, against rsync --fsync", seconds, viaRsyncFsync, "s");
    EndToEnd.require(Trees.digest(a.resolve("vault")).equals(Trees.digest(target)), "G: trees differ");
    report("G", "10,000 notes, cold", run);
    EndToEnd.deleteTree(dir);
  }

  /** H: one 1 GiB file of random bytes in node a's folder, node b's empty. */
  void bigFile(int rep) throws Exception {
    Path dir = Files.createDirectories(work.resolve("cold-big" + rep));
    Path original = work.resolve("big.bin");
    if (!Files.exists(original)) {
      Datasets.randomFile(original, 1L << 30, 42);
    }
    Files.createDirectories(dir.resolve("a"));
    Files.createLink(dir.resolve("a/big.bin"), original);
    EndToEnd.settle();
    double viaRsync = rsync.push(original, "cold-big" + rep + ".bin");
    EndToEnd.settle();
    Path target = dir.resolve("b/big.bin");
    Run run = launch(dir, () -> Files.exists(target), Duration.ofMillis(5));
    double seconds = run.seconds();
    results.add("H", "1 GiB file, cold: first launch to peer identical", seconds, viaRsync, "s");
    results.add("H", "1 GiB file, cold, throughput", 1024 / seconds, 1024 / viaRsync, "MiB/s");
    if (rep == 0) {
      EndToEnd.require(Trees.hash(target).equals(Trees.hash(original)), "H: content differs");
    }
    report("H", "1 GiB file, cold", run);
    EndToEnd.deleteTree(dir);
    Files.deleteIfExists(rsync.moduleDir.resolve("cold-big" + rep + ".bin"));
  }

  /** Launches a (which holds the data) then b, and waits for {@code done}; stops both. */
  private Run launch(Path dir, java.util.function.BooleanSupplier done, Duration every) throws Exception {
    int pa = JsyncProcess.freePort();
    int pb = JsyncProcess.freePort();
    long t0 = System.nanoTime();
    JsyncProcess a = JsyncProcess.startLogged(repo, dir.resolve("a"), pa, List.of(pb), dir.resolve("a.log"));
    JsyncProcess b = null;
    try {
      long launchedB = System.nanoTime();
      b = JsyncProcess.startLogged(repo, dir.resolve("b"), pb, List.of(pa), dir.resolve("b.log"));
      long t1 = JsyncProcess.awaitTrue(done, LONG, every);
      double cpuA = ProcFs.cpuTicks(a.pid()) / (double) ProcFs.TICKS_PER_SECOND;
      double cpuB = ProcFs.cpuTicks(b.pid()) / (double) ProcFs.TICKS_PER_SECOND;
      Thread.sleep(300); // the last lines (the receiver's "received ..." summary) are read
      return new Run(t0, t1, new Node("a, holds the data", a.lines(), t0, t0, cpuA),
          new Node("b, receives", b.lines(), t0, launchedB, cpuB));
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  /** One node's timeline, read from its lines; times in seconds since the first launch. */
  record Node(String role, List<TimedLine> lines, long t0, long launched, double cpuSeconds) {

    /** The phases of its {@code started in} line, in order, as {time, CPU} in seconds (CPU NaN if not printed). */
    Map<String, double[]> phases() {
      Map<String, double[]> out = new LinkedHashMap<>();
      for (TimedLine l : lines) {
        Matcher m = STARTED.matcher(l.text());
        if (m.find()) {
          Matcher p = PHASE.matcher(m.group(2));
          while (p.find()) {
            out.put(p.group(1).trim(), new double[] {Double.parseDouble(p.group(2)),
                p.group(3) == null ? Double.NaN : Double.parseDouble(p.group(3))});
          }
          return out;
        }
      }
      return out;
    }

    /** When the first line containing {@code text} arrived, or NaN. */
    double at(String text) {
      for (TimedLine l : lines) {
        if (l.text().contains(text)) {
          return (l.nanos() - t0) / 1e9;
        }
      }
      return Double.NaN;
    }

    /** How long its first scan took by its own account, in seconds, or NaN. */
    double scanSeconds() {
      for (TimedLine l : lines) {
        Matcher m = SCANNED.matcher(l.text());
        if (m.find()) {
          return Long.parseLong(m.group(1)) / 1e3;
        }
      }
      return Double.NaN;
    }

    String describe() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "    node %s: launched at %.2f s; ", role, (launched - t0) / 1e9));
      Map<String, double[]> phases = phases();
      if (phases.isEmpty()) {
        b.append("no start-up phases printed; ");
      } else {
        List<String> parts = new ArrayList<>();
        phases.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f/%.2f", k, v[0], v[1])));
        b.append("start-up phases (s, time/CPU): ").append(String.join(", ", parts)).append("; ");
      }
      b.append(String.format(Locale.ROOT,
          "listening at %.2f s; first scan done at %.2f s (took %.2f s: walk, hashing, index writes); "
              + "connected at %.2f s; CPU %.1f s",
          at("listening on"), at("scanned "), scanSeconds(), at("connected to"), cpuSeconds));
      return b.toString();
    }
  }

  private record Run(long t0, long t1, Node a, Node b) {

    double seconds() {
      return (t1 - t0) / 1e9;
    }
  }

  /** Prints both nodes' timelines and adds their main points to the results. */
  private void report(String scenario, String what, Run run) {
    System.out.printf(Locale.ROOT, "  %s timeline (%s; clock from a's launch, peer identical at %.2f s):%n",
        scenario, what, run.seconds());
    System.out.println(run.a.describe());
    System.out.println(run.b.describe());
    addTimeline(scenario, what, run);
  }

  private void addTimeline(String scenario, String what, Run run) {
    double startA = run.a.at("listening on");
    double startB = run.b.at("listening on") - (run.b.launched - run.t0) / 1e9;
    results.addSingle(scenario, what + ": a's launch to listening", startA, "s");
    results.addSingle(scenario, what + ": b's launch to listening", startB, "s");
    results.addSingle(scenario, what + ": a's first scan (walk, hashing, index writes)", run.a.scanSeconds(), "s");
    results.addSingle(scenario, what + ": first contact (b connected), from a's launch", run.b.at("connected to"), "s");
    results.addSingle(scenario, what + ": first contact to peer identical",
        run.seconds() - run.b.at("connected to"), "s");
    results.addSingle(scenario, what + ": CPU of a", run.a.cpuSeconds, "s");
    results.addSingle(scenario, what + ": CPU of b", run.b.cpuSeconds, "s");
  }
}
