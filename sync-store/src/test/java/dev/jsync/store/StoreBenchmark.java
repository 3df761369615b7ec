package dev.jsync.store;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures the RocksDB store at the size of a large vault: writes 100,000 realistic records
 * (paths like {@code folder123/note12345.md}, 1 to 4 blocks each), reads them back by path, by
 * sequence and by block hash, times the open of the full store, reports its size on disk, the
 * cost of syncing each batch, and the resident memory of an idle node holding it.
 *
 * <p>Not a unit test: a main class, run as {@code docs/benchmarks.md} says. Optional arguments:
 * the number of records (default 100000) and a folder to work in (default a temp folder,
 * deleted afterwards).
 */
public final class StoreBenchmark {

  private static final DeviceId ME = DeviceId.fromName("laptop");
  private static final DeviceId PEER = DeviceId.fromName("desktop");
  private static final int WRITE_BATCH = 1000;
  private static final int SINGLE_BATCHES = 1000;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("jsync-store-bench");
    Path state = work.resolve(".jsync");
    System.out.printf("jSync store benchmark: %,d records; JDK %s; %d cores; %s%n", count,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), state);
    try {
      run(count, work, state);
    } finally {
      if (args.length < 2) {
        deleteRecursively(work);
      }
    }
  }

  private static void run(int count, Path work, Path state) throws Exception {
    List<FileRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(record(i, i + 1L));
    }

    try (RocksDbIndexStore store = RocksDbIndexStore.open(state)) {
      long t = System.nanoTime();
      for (int from = 0; from < count; from += WRITE_BATCH) {
        StoreBatch batch = new StoreBatch();
        for (FileRecord r : records.subList(from, Math.min(count, from + WRITE_BATCH))) {
          batch.putLocal(LocalEntry.of(r, new DiskStat(r.size(), r.modifiedNanos(), "ino " + r.sequence())));
        }
        store.apply(batch);
      }
      report("write", count, "records", t, String.format("batches of %,d, each synced", WRITE_BATCH));
    }
    System.out.printf("  size on disk after writing: %s%n", mib(sizeOf(state.resolve("index"))));

    List<Long> opens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t = System.nanoTime();
      RocksDbIndexStore.open(state).close();
      opens.add(System.nanoTime() - t);
    }
    System.out.printf("open + close of the %,d-record store: first %.0f ms, median of 5 %.0f ms%n", count,
        opens.get(0) / 1e6, opens.stream().sorted().toList().get(2) / 1e6);

    try (RocksDbIndexStore store = RocksDbIndexStore.open(state)) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(1));

      long t = System.nanoTime();
      for (int i : order) {
        if (store.local(records.get(i).path()).isEmpty()) {
          throw new AssertionError("missing " + records.get(i).path());
        }
      }
      report("read by path (random order)", count, "reads", t, "");

      t = System.nanoTime();
      long after = 0;
      int seen = 0;
      for (List<FileRecord> page; !(page = store.localSince(after, 1000)).isEmpty(); ) {
        seen += page.size();
        after = page.get(page.size() - 1).sequence();
      }
      check(seen == count, "localSince saw " + seen);
      report("read by sequence (localSince, pages of 1,000)", count, "records", t, "");

      t = System.nanoTime();
      AtomicLong visited = new AtomicLong();
      store.forEachLocal(e -> visited.incrementAndGet());
      check(visited.get() == count, "forEachLocal saw " + visited);
      report("forEachLocal", count, "entries", t, "");

      t = System.nanoTime();
      for (int i : order) {
        Sha256 hash = records.get(i).blocks().get(0).hash();
        check(!store.blockLocations(hash, 4).isEmpty(), "no location for a block of " + records.get(i).path());
      }
      report("blockLocations (random hashes)", count, "lookups", t, "");

      long last = store.lastSequence();
      t = System.nanoTime();
      for (int i = 0; i < SINGLE_BATCHES; i++) {
        store.apply(new StoreBatch().putLocal(LocalEntry.withoutStat(record(i, ++last))));
      }
      report("single-record batches, synced", SINGLE_BATCHES, "batches", t, "re-puts of existing paths");
      System.out.printf("  RocksDB memory now: %s (this JVM's resident memory, %s, is mostly the 100,000 records "
          + "the benchmark holds on its heap; see the idle node below)%n", store.nativeMemorySummary(), rss());
    }

    try (RocksDbIndexStore unsynced = RocksDbIndexStore.open(work.resolve("unsynced"), false)) {
      long last = 0;
      long t = System.nanoTime();
      for (int i = 0; i < SINGLE_BATCHES; i++) {
        unsynced.apply(new StoreBatch().putLocal(LocalEntry.withoutStat(record(i, ++last))));
      }
      report("single-record batches, not synced (for comparison)", SINGLE_BATCHES, "batches", t, "");
    }
    System.out.printf("size on disk at the end: %s%n", mib(sizeOf(state.resolve("index"))));

    Process idle = ChildJvm.start(StoreIdle.class, work.resolve("idle-stderr.txt"), state.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      System.out.println(line != null ? line + " (child JVM: -Xmx64m, serial GC)"
          : "idle node: failed: " + Files.readString(work.resolve("idle-stderr.txt")));
    } finally {
      if (!idle.waitFor(30, TimeUnit.SECONDS)) {
        idle.destroyForcibly();
      }
    }
  }

  /** The path of record {@code i}: 100 notes per folder. */
  static String path(int i) {
    return "folder" + (i / 100) + "/note" + i + ".md";
  }

  private static FileRecord record(int i, long sequence) {
    int blocks = 1 + i % 4;
    long size = (long) (blocks - 1) * BlockInfo.SIZE + 1 + (i * 7919L) % BlockInfo.SIZE;
    List<BlockInfo> list = new ArrayList<>(blocks);
    for (int k = 0; k < blocks; k++) {
      long offset = (long) k * BlockInfo.SIZE;
      list.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset),
          Sha256.of(("block " + i + "/" + k).getBytes(StandardCharsets.UTF_8))));
    }
    VersionVector version = VersionVector.of(Map.of(ME, 1_700_000_000L + i, PEER, 1_700_000_000L + i / 2));
    return FileRecord.file(RelativePath.of(path(i)), size, 1_700_000_000_000_000_000L + i * 1_000_000L, false,
        list, Sha256.of(("content " + i).getBytes(StandardCharsets.UTF_8)), version, ME).withSequence(sequence);
  }

  private static void report(String what, int n, String unit, long startNanos, String note) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%s: %,d %s in %.2f s = %,.0f %s/s, %.1f us each%s%n", what, n, unit, seconds, n / seconds,
        unit, seconds * 1e6 / n, note.isEmpty() ? "" : " (" + note + ")");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }

  /** This process's resident set size, from /proc (Linux). */
  static String rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.trim().split("\\s+");
          return mib(Long.parseLong(parts[1]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return "n/a";
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
