package dev.jsync.bench.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end benchmark: two real {@code jsync} processes on 127.0.0.1 against an rsync
 * daemon on 127.0.0.1, scenario by scenario, each repeated, medians and pairwise ratios printed.
 * Run it with {@code sync-bench/e2e} from the repository root; docs/benchmarks.md explains the
 * scenarios and what the figures mean.
 *
 * <p>How each warm figure is taken (A-F, S): jSync's nodes are already running and connected with empty
 * folders; the data is moved into one node's folder with a single rename (so creating it is
 * not timed), and the clock stops when the other node's folder holds it all. rsync gets the
 * same data and the clock covers one {@code rsync -a} run into the daemon's module. The cold
 * scenarios (G, H) launch both nodes inside the clock: {@link ColdStart}.
 */
public final class EndToEnd {

  private static final Duration LONG = Duration.ofMinutes(10);

  private final Path repo;
  private final Path work;
  private final int reps;
  private final int saves;
  private final Results results = new Results();
  private RsyncDaemon rsync;
  /** How many files S syncs (in a folder per 100). */
  private int scaleFiles = 100_000;

  private EndToEnd(Path repo, Path work, int reps, int saves) {
    this.repo = repo;
    this.work = work;
    this.reps = reps;
    this.saves = saves;
  }

  public static void main(String[] args) throws Exception {
    int reps = 3;
    int saves = 50;
    Set<String> only = Set.of("A", "B", "C", "D", "E", "F", "G", "H", "S");
    Path workParent = null;
    int scaleFiles = 100_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--saves" -> saves = Integer.parseInt(args[++i]);
        case "--only" -> only = Set.of(args[++i].toUpperCase(Locale.ROOT).split(","));
        case "--work" -> workParent = Files.createDirectories(Path.of(args[++i]));
        case "--scale" -> scaleFiles = Integer.parseInt(args[++i]);
        case "--jfr" -> JsyncProcess.recordInto(Files.createDirectories(Path.of(args[++i]).toAbsolutePath()));
        case "--node-option" -> JsyncProcess.addNodeOption(args[++i]);
        case "--java-option" -> JsyncProcess.addJavaOption(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (use --reps N, --saves N, --only A,B,C,D,E,F,G,H,S, --work DIR, --scale FILES, --jfr DIR, --node-option OPTION, --java-option OPTION)");
      }
    }
    Path repo = Path.of("").toAbsolutePath();
    if (!Files.isExecutable(repo.resolve("jsync"))) {
      throw new IllegalStateException("run from the repository root (no ./jsync here: " + repo + ")");
    }
    // Where the data sets, both nodes' folders and the rsync module go (default: the system's
    // temp folder). On a file system that just deleted many files, creating files can be much
    // slower for a few minutes (docs/benchmarks.md), whoever creates them: --work moves the run.
    Path work = workParent == null ? Files.createTempDirectory("jsync-e2e") : Files.createTempDirectory(workParent, "jsync-e2e");
    EndToEnd bench = new EndToEnd(repo, work, reps, saves);
    bench.scaleFiles = scaleFiles;
    try (RsyncDaemon d = RsyncDaemon.start(work)) {
      bench.rsync = d;
      bench.run(only);
    } catch (Exception e) {
      // Print what was measured before the failure, then fail.
      System.out.println(bench.results.table());
      throw e;
    } finally {
      deleteTree(work);
    }
    String table = bench.results.table();
    System.out.println(table);
    Path out = repo.resolve("sync-bench/target/e2e-results.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println("(also written to " + repo.relativize(out) + ")");
  }

  private void run(Set<String> only) throws Exception {
    ColdStart cold = new ColdStart(repo, work, rsync, results);
    for (int rep = 0; rep < reps; rep++) {
      if (only.contains("G")) {
        cold.vault(rep);
      }
      if (only.contains("H")) {
        cold.bigFile(rep);
      }
      if (only.contains("A") || only.contains("C") || only.contains("E") || only.contains("F")) {
        vault(rep, only);
      }
      if (only.contains("B")) {
        bigFile(rep);
      }
      if (only.contains("D")) {
        oneByteChange(rep);
      }
    }
    if (only.contains("S")) {
      scale();
    }
  }

  // ------------------------------------------------------------------ S

  /**
   * S, at scale, once: {@code --scale} files (100,000 unless told), 100 to a folder, synced
   * between two real nodes (time against rsync, the larger node's peak resident memory during
   * it, each node's CPU), then the in-process figures of
   * {@link dev.jsync.bench.ScaleInProcess} in a child JVM with the launcher's heap settings: an
   * unchanged rescan, and the index bytes of a reconnect with nothing changed.
   */
  private void scale() throws Exception {
    int files = scaleFiles;
    int folders = Math.max(1, files / 100);
    String label = String.format(Locale.ROOT, "%,d files", files);
    Path dir = Files.createDirectories(work.resolve("scale"));
    Path staging = dir.resolve("staging/tree");
    Datasets.vault(staging, files, folders, 42);
    settle();
    double viaRsync = rsync.push(staging, "scale");
    System.out.printf(Locale.ROOT, "  S %s: rsync %.1f s; starting both nodes%n", label, viaRsync);
    try (Pair pair = Pair.start(repo, dir)) {
      settle();
      long t0 = System.nanoTime();
      Files.move(staging, pair.a.folder.resolve("tree"), StandardCopyOption.ATOMIC_MOVE);
      // The receiving node's status file (rewritten at most once a second, so the time may be
      // up to a second late): every file and folder recorded, nothing needed. A walk of 100,000
      // files every few hundred ms would itself take a core.
      long expected = files + folders + 1;
      long[] lastReport = {t0};
      long t1 = JsyncProcess.awaitTrue(() -> {
        long[] s = pair.b.sequenceAndNeeded();
        if (System.nanoTime() - lastReport[0] > 30_000_000_000L) { // progress of a long run, every 30 s
          lastReport[0] = System.nanoTime();
          System.out.printf(Locale.ROOT, "  S %.0f s: receiver at sequence %s, needs %s; resident a %d MiB, b %d MiB%n",
              (lastReport[0] - t0) / 1e9, s == null ? "?" : s[0], s == null ? "?" : s[1],
              ProcFs.statusKib(pair.a.pid(), "VmRSS") / 1024, ProcFs.statusKib(pair.b.pid(), "VmRSS") / 1024);
        }
        return s != null && s[0] >= expected && s[1] == 0;
      }, Duration.ofSeconds(Math.max(LONG.toSeconds(), files / 800)), Duration.ofMillis(250));
      require(Trees.countFiles(pair.b.folder.resolve("tree")) == files, "S: files missing on the peer");
      double cpuA = ProcFs.cpuTicks(pair.a.pid()) / (double) ProcFs.TICKS_PER_SECOND;
      double cpuB = ProcFs.cpuTicks(pair.b.pid()) / (double) ProcFs.TICKS_PER_SECOND;
      results.add("S", label + ", initial sync", (t1 - t0) / 1e9, viaRsync, "s");
      long hwm = Math.max(ProcFs.statusKib(pair.a.pid(), "VmHWM"), ProcFs.statusKib(pair.b.pid(), "VmHWM"));
      results.addSingle("S", label + ", peak resident memory during the initial sync (larger node)", hwm / 1024.0,
          "MiB");
      results.addSingle("S", label + ", CPU of the sender since its launch", cpuA, "s");
      results.addSingle("S", label + ", CPU of the receiver since its launch", cpuB, "s");
    }
    deleteTree(dir);
    inProcessScale(files);
  }

  private void inProcessScale(int files) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-Djava.io.tmpdir=" + work, "-cp", repo.resolve("sync-bench/target/benchmarks.jar").toString(),
        "dev.jsync.bench.ScaleInProcess", Integer.toString(files)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    require(p.waitFor() == 0, "S: ScaleInProcess failed:\n" + out);
    java.util.regex.Matcher rescan = java.util.regex.Pattern.compile("\\(median ([0-9.]+) s\\)").matcher(out);
    java.util.regex.Matcher reconnect = java.util.regex.Pattern
        .compile("reconnect with nothing changed: (\\d+) bytes of index batches, (\\d+) bytes of hellos").matcher(out);
    require(rescan.find() && reconnect.find(), "S: unexpected ScaleInProcess output:\n" + out);
    results.addSingle("S", String.format(Locale.ROOT, "%,d files", files) + ", unchanged rescan (in-process, median of 3)", Double.parseDouble(rescan.group(1)),
        "s");
    results.addSingle("S", String.format(Locale.ROOT, "%,d files", files) + ", index bytes of a reconnect with nothing changed",
        Double.parseDouble(reconnect.group(1)), "bytes");
    results.addSingle("S", String.format(Locale.ROOT, "%,d files", files) + ", hello bytes of that reconnect (both ways)", Double.parseDouble(reconnect.group(2)),
        "bytes");
  }

  // ------------------------------------------------------------------ A, C, E, F

  /** A (and on the first round C and F), then E, on one pair of nodes. */
  private void vault(int rep, Set<String> only) throws Exception {
    Path dir = Files.createDirectories(work.resolve("vault" + rep));
    Path staging = dir.resolve("staging/vault");
    Datasets.vault(staging, 10_000, 200, rep);
    settle();
    double rsyncA = rsync.push(staging, "vault" + rep);
    settle();
    double rsyncAFsync = rsync.push(staging, "vault" + rep + "-fsync", "--fsync");

    try (Pair pair = Pair.start(repo, dir)) {
      settle();
      long t0 = System.nanoTime();
      Files.move(staging, pair.a.folder.resolve("vault"), StandardCopyOption.ATOMIC_MOVE);
      Path target = pair.b.folder.resolve("vault");
      long t1 = JsyncProcess.awaitTrue(() -> Trees.countFiles(target) == 10_000, LONG, Duration.ofMillis(20));
      results.add("A", "10,000 notes, initial sync", (t1 - t0) / 1e9, rsyncA, "s");
      results.add("A", "10,000 notes, against rsync --fsync", (t1 - t0) / 1e9, rsyncAFsync, "s");
      require(Trees.digest(pair.a.folder.resolve("vault")).equals(Trees.digest(target)), "A: trees differ");

      if (rep == 0 && only.contains("C")) {
        savedNote(pair);
      }
      if (rep == 0 && only.contains("F")) {
        idle(pair);
      }
      if (only.contains("E")) {
        deletes(pair, rep);
      }
    }
  }

  /** C: append a line to a note; time until the peer's copy matches. */
  private void savedNote(Pair pair) throws Exception {
    double[] jsync = new double[saves];
    double[] viaRsync = new double[saves];
    Random r = new Random(7);
    for (int i = 0; i < saves; i++) {
      int n = r.nextInt(10_000);
      String rel = "vault/folder" + (n % 200) + "/note" + n + ".md";
      Path src = pair.a.folder.resolve(rel);
      Path dst = pair.b.folder.resolve(rel);
      byte[] line = ("- saved line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] expected = concat(Files.readAllBytes(src), line);
      long t0 = System.nanoTime();
      Files.write(src, line, java.nio.file.StandardOpenOption.APPEND);
      long t1 = JsyncProcess.awaitTrue(() -> sameContent(dst, expected), Duration.ofSeconds(60), Duration.ZERO);
      jsync[i] = (t1 - t0) / 1e6;
      viaRsync[i] = rsync.push(pair.a.folder.resolve("vault"), "vault0") * 1000;
      Thread.sleep(100); // a person does not save ten times a second
    }
    results.addDistribution("C", "saved note, time to peer", jsync, viaRsync, "ms");
  }

  /** E: delete 100 notes; time until all are gone on the peer. */
  private void deletes(Pair pair, int rep) throws Exception {
    List<String> victims = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = (rep * 1_000 + i * 97) % 10_000; // 97 is coprime to 10,000: 100 distinct notes
      victims.add("vault/folder" + (n % 200) + "/note" + n + ".md");
    }
    long t0 = System.nanoTime();
    for (String v : victims) {
      Files.deleteIfExists(pair.a.folder.resolve(v));
    }
    long t1 = JsyncProcess.awaitTrue(() -> victims.stream().noneMatch(v -> Files.exists(pair.b.folder.resolve(v))),
        LONG, Duration.ofMillis(2));
    double viaRsync = rsync.push(pair.a.folder.resolve("vault"), "vault" + rep, "--delete");
    results.add("E", "delete 100 notes", (t1 - t0) / 1e9, viaRsync, "s");
  }

  /**
   * F: memory and CPU of both nodes, idle with the synced vault: a minute from 45 s after the
   * sync, the minute after it, and the fifth minute. The JIT compiles what the periodic scan
   * runs over its first three or four rounds (a scan a minute; docs/benchmarks.md, F), so the
   * first two minutes show a node still warming up and the fifth one that has settled.
   */
  private void idle(Pair pair) throws Exception {
    // Idle means settled: a node collects its heap 10 s after its last activity and returns
    // freed native memory every 30 s (docs/benchmarks.md, F), so wait those out first.
    Thread.sleep(45_000);
    idleWindow(pair, "45-105 s after the sync");
    idleWindow(pair, "105-165 s after the sync");
    Thread.sleep(60_000);
    idleWindow(pair, "225-285 s after the sync");
  }

  private void idleWindow(Pair pair, String when) throws InterruptedException {
    long[] cpu0 = {ProcFs.cpuTicks(pair.a.pid()), ProcFs.cpuTicks(pair.b.pid())};
    long maxRss = 0;
    List<Double> samples = new ArrayList<>();
    // 60 s, not 30: the fallback full scan runs once a minute, so a 30 s window would hold
    // either none (and show too little CPU) or one (and show twice the average).
    for (int s = 0; s < IDLE_SECONDS; s++) {
      Thread.sleep(1_000);
      long rss = Math.max(ProcFs.statusKib(pair.a.pid(), "VmRSS"), ProcFs.statusKib(pair.b.pid(), "VmRSS"));
      maxRss = Math.max(maxRss, rss);
      samples.add(rss / 1024.0);
    }
    long[] cpu1 = {ProcFs.cpuTicks(pair.a.pid()), ProcFs.cpuTicks(pair.b.pid())};
    double cpuPercent = Math.max(cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]) * 100.0 / ProcFs.TICKS_PER_SECOND / IDLE_SECONDS;
    samples.sort(null);
    results.addSingle("F", "idle " + when + ": resident memory (larger node, median)", samples.get(samples.size() / 2),
        "MiB");
    results.addSingle("F", "idle " + when + ": resident memory (larger node, peak)", maxRss / 1024.0, "MiB");
    results.addSingle("F", "idle " + when + ": CPU (busier node)", cpuPercent, "%");
  }

  private static final int IDLE_SECONDS = 60;

  // ------------------------------------------------------------------ B

  /** B: one 1 GiB file. */
  private void bigFile(int rep) throws Exception {
    Path dir = Files.createDirectories(work.resolve("big" + rep));
    Path original = work.resolve("big.bin");
    if (!Files.exists(original)) {
      Datasets.randomFile(original, 1L << 30, 42);
    }
    settle();
    double viaRsync = rsync.push(original, "big" + rep + ".bin");
    settle();
    double viaRsyncFsync = rsync.push(original, "big" + rep + "-fsync.bin", "--fsync");
    Path staged = Files.createDirectories(dir.resolve("staging")).resolve("big.bin");
    Files.createLink(staged, original);
    try (Pair pair = Pair.start(repo, dir)) {
      Path target = pair.b.folder.resolve("big.bin");
      settle();
      long t0 = System.nanoTime();
      Files.move(staged, pair.a.folder.resolve("big.bin"), StandardCopyOption.ATOMIC_MOVE);
      long t1 = JsyncProcess.awaitTrue(() -> Files.exists(target), LONG, Duration.ofMillis(5));
      double seconds = (t1 - t0) / 1e9;
      results.add("B", "1 GiB file, time", seconds, viaRsync, "s");
      results.add("B", "1 GiB file, throughput", 1024 / seconds, 1024 / viaRsync, "MiB/s");
      results.add("B", "1 GiB file, throughput against rsync --fsync", 1024 / seconds, 1024 / viaRsyncFsync, "MiB/s");
      if (rep == 0) {
        require(Trees.hash(target).equals(Trees.hash(original)), "B: content differs");
      }
    }
    // Each large-file scenario leaves the machine as it found it: the 4 GiB a B repetition
    // leaves on disk and in the page cache slowed what came next on this virtual machine (the
    // next D's jSync run 0.5 -> 1.0 s, the next B's rsync run 0.7-1.0 -> 2.4-2.9 s).
    deleteTree(dir);
    Files.deleteIfExists(rsync.moduleDir.resolve("big" + rep + ".bin"));
    Files.deleteIfExists(rsync.moduleDir.resolve("big" + rep + "-fsync.bin"));
  }

  // ------------------------------------------------------------------ D

  /** D: one byte changed in the middle of a 256 MiB file: time and bytes over loopback. */
  private void oneByteChange(int rep) throws Exception {
    Path dir = Files.createDirectories(work.resolve("mid" + rep));
    long size = 256L << 20;
    long offset = size / 2 + 12_345;
    Path rsyncSource = dir.resolve("rsync-source.bin");
    Datasets.randomFile(rsyncSource, size, 100 + rep);
    rsync.push(rsyncSource, "mid" + rep + ".bin");
    try (Pair pair = Pair.start(repo, dir)) {
      Path a = pair.a.folder.resolve("mid.bin");
      Path b = pair.b.folder.resolve("mid.bin");
      Files.copy(rsyncSource, a);
      // The peer may first get a version the sender scanned while the copy was under way: wait
      // for the whole file, or the timed change would also pay for the rest of the initial sync.
      JsyncProcess.awaitTrue(() -> sameFile(a, b), LONG, Duration.ofMillis(100));
      Thread.sleep(2_000); // quiet loopback before counting

      byte newValue = (byte) (readByte(a, offset) ^ 0x5a);
      settle();
      long lo0 = ProcFs.loopbackBytes();
      long t0 = System.nanoTime();
      writeByte(a, offset, newValue);
      long t1 = JsyncProcess.awaitTrue(() -> readByteQuietly(b, offset) == newValue, LONG, Duration.ofMillis(1));
      Thread.sleep(1_000); // let trailing index updates cross too
      long jsyncBytes = ProcFs.loopbackBytes() - lo0;

      writeByte(rsyncSource, offset, newValue);
      settle();
      long r0 = ProcFs.loopbackBytes();
      double viaRsync = rsync.push(rsyncSource, "mid" + rep + ".bin");
      long rsyncBytes = ProcFs.loopbackBytes() - r0;
      results.add("D", "1-byte change in 256 MiB, time", (t1 - t0) / 1e9, viaRsync, "s");
      results.add("D", "1-byte change in 256 MiB, bytes on loopback", jsyncBytes / 1e6, rsyncBytes / 1e6, "MB");
    }
    deleteTree(dir); // as B does: large files left behind slow the next scenario
    Files.deleteIfExists(rsync.moduleDir.resolve("mid" + rep + ".bin"));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Writes every dirty page of the machine to disk before a timed run, so that neither tool
   * pays for the writeback of the data set just generated or of the other tool's run.
   */
  static void settle() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sync").inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("sync failed");
    }
  }

  /** Two nodes dialing each other, connected. */
  record Pair(JsyncProcess a, JsyncProcess b) implements AutoCloseable {
    static Pair start(Path repo, Path dir) throws Exception {
      int pa = JsyncProcess.freePort();
      int pb = JsyncProcess.freePort();
      JsyncProcess a = JsyncProcess.start(repo, dir.resolve("a"), pa, List.of(pb), dir.resolve("a.log"));
      JsyncProcess b = JsyncProcess.start(repo, dir.resolve("b"), pb, List.of(pa), dir.resolve("b.log"));
      try {
        JsyncProcess.awaitTrue(() -> a.connected() && b.connected(), Duration.ofMinutes(2), Duration.ofMillis(50));
      } catch (RuntimeException e) {
        a.close();
        b.close();
        throw new IllegalStateException("nodes did not connect; see " + dir.resolve("a.log"), e);
      }
      // A running node, as a user has one: done starting (its JIT still compiles what start-up
      // ran, the key derivation and the handshake, for a second or two after connecting).
      awaitQuiet(a, b);
      return new Pair(a, b);
    }

    @Override
    public void close() throws InterruptedException {
      a.close();
      b.close();
    }
  }

  /**
   * Waits until the two nodes together use less than a tenth of a core over half a second (at
   * most 20 s: nodes that never settle are measured as they are, and the output says so).
   */
  static void awaitQuiet(JsyncProcess a, JsyncProcess b) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long before = ProcFs.cpuTicks(a.pid()) + ProcFs.cpuTicks(b.pid());
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = ProcFs.cpuTicks(a.pid()) + ProcFs.cpuTicks(b.pid());
      if (now - before < ProcFs.TICKS_PER_SECOND / 20) {
        return;
      }
      before = now;
    }
    System.err.println("e2e: the nodes were still busy 20 s after connecting; measuring anyway");
  }

  private static boolean sameFile(Path x, Path y) {
    try {
      return Files.exists(y) && Files.size(x) == Files.size(y) && Files.mismatch(x, y) == -1;
    } catch (IOException e) {
      return false; // being replaced: look again
    }
  }

  private static boolean sameContent(Path p, byte[] expected) {
    try {
      return Files.size(p) == expected.length && Arrays.equals(Files.readAllBytes(p), expected);
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte readByte(Path p, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      f.seek(offset);
      return f.readByte();
    }
  }

  private static byte readByteQuietly(Path p, long offset) {
    try {
      return readByte(p, offset);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void writeByte(Path p, long offset, byte value) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(offset);
      f.writeByte(value);
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  /** Deletes a folder and everything in it. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The targets, printed next to each scenario. */
  static final Map<String, String> TARGETS = Map.of(
      "A", "ratio <= 1.0",
      "B", "throughput >= 0.8x rsync",
      "C", "p50 <= 50 ms, p95 <= 150 ms",
      "D", "<= 0.3 MB, time <= 1.5x rsync",
      "E", "<= 0.3 s",
      "F", "<= 100 MiB, <= 0.2 % CPU",
      "G", "ratio <= 1.0 (cold)",
      "H", "throughput >= 0.8x rsync (cold)",
      "S", "rescan <= 1 s, reconnect <= 1 KB, memory bounded");
}
