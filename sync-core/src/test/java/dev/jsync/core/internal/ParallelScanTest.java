package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan that hashes on helpers ({@link ScanHashing}) finds exactly what a scan on one thread
 * finds, in the same order, on a tree of many files: new, changed, vanished and unchanged files,
 * folders and links, and files that change while they are hashed.
 */
class ParallelScanTest {

  @TempDir Path root;
  private final RecordingDisk recording = new RecordingDisk();
  private final DeviceId me = DeviceId.fromName("me");
  private final ExecutorService pool = Executors.newFixedThreadPool(4, NodeThreads.daemon("helper"));

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** 1,500 small files in 30 folders, a few empty folders and a link. */
  private void makeTree() throws IOException {
    Random r = new Random(7);
    for (int i = 0; i < 1500; i++) {
      Path p = root.resolve("d" + (i % 30)).resolve("n" + i + ".md");
      Files.createDirectories(p.getParent());
      byte[] b = new byte[r.nextInt(3000)];
      r.nextBytes(b);
      Files.write(p, b);
    }
    Files.createDirectories(root.resolve("empty/inner"));
    Files.createSymbolicLink(root.resolve("d3/link"), Path.of("../d4/n4.md"));
  }

  /** What a scan found, in order: each change with its content, then the unstable paths and errors. */
  private static List<String> found(List<ScanItem> chunks, Scanner.Result r) {
    List<String> out = new ArrayList<>();
    Stream.concat(chunks.stream(), r.changes().stream()).forEach(i -> out.add(i.path() + " base="
        + i.base().map(b -> b.record().sequence()).orElse(-1L) + " " + i.observed() + " "
        + i.content().map(c -> c.contentHash() + "/" + c.blocks()).orElse("-")));
    r.unstable().forEach(p -> out.add("unstable " + p));
    r.errors().forEach(e -> out.add("error " + e));
    return out;
  }

  private List<String> scanAll(TinyStore store, boolean parallel) {
    Scanner s = new Scanner(new DiskView(recording, root), store, parallel ? pool : null);
    List<ScanItem> chunks = new ArrayList<>();
    Scanner.Result r = s.scanAll(IgnoreRules.defaults(), chunks::addAll);
    store.recordScanned(chunks, me);
    store.recordScanned(r.changes(), me);
    return found(chunks, r);
  }


  @Test
  void aParallelScanFindsExactlyWhatASequentialOneFindsInTheSameOrder() throws Exception {
    makeTree();
    Set<String> hashingThreads = ConcurrentHashMap.newKeySet();
    AtomicBoolean parallelScan = new AtomicBoolean();
    AtomicInteger hashedHere = new AtomicInteger();
    Thread scanning = Thread.currentThread();
    recording.beforeHashing = p -> {
      hashingThreads.add(Thread.currentThread().getName());
      if (parallelScan.get() && Thread.currentThread() == scanning && ClaimedRuns.helpers() > 0
          && hashedHere.incrementAndGet() > ScanHashing.IN_LINE_FILES) {
        // A queued file the scanning thread took: it goes on once a helper has hashed one, so
        // that the test sees helpers take part however slowly the machine starts their threads.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hashingThreads.stream().noneMatch(n -> n.startsWith("helper")) && System.nanoTime() < deadline) {
          LockSupport.parkNanos(100_000);
        }
      }
    };
    TinyStore sequentialStore = new TinyStore();
    TinyStore parallelStore = new TinyStore();

    List<String> sequential = scanAll(sequentialStore, false);
    assertThat(hashingThreads).containsExactly(scanning.getName());
    hashingThreads.clear();
    parallelScan.set(true);
    List<String> parallel = scanAll(parallelStore, true);
    parallelScan.set(false);

    assertThat(sequential).hasSize(1500 + 30 + 2 + 1); // files, folders, empty folders, link
    assertThat(parallel).containsExactlyElementsOf(sequential);
    if (ClaimedRuns.helpers() > 0) {
      assertThat(hashingThreads).as("helpers hashed some files").anyMatch(n -> n.startsWith("helper"));
    }
    assertThat(parallelStore.local).isEqualTo(sequentialStore.local);

    // The second scan: edits (some the same size), deletions, new files, a folder replaced by a file.
    Random r = new Random(11);
    for (int i = 0; i < 1500; i += 7) {
      Path p = root.resolve("d" + (i % 30)).resolve("n" + i + ".md");
      switch (i % 3) {
        case 0 -> Files.delete(p);
        case 1 -> Files.write(p, ("edited " + r.nextLong()).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        default -> Files.writeString(root.resolve("d" + (i % 30)).resolve("new" + i + ".md"), "new " + i);
      }
    }
    Files.delete(root.resolve("empty/inner"));
    Files.delete(root.resolve("empty"));
    Files.writeString(root.resolve("empty"), "a file now");

    List<String> sequentialAgain = scanAll(sequentialStore, false);
    List<String> parallelAgain = scanAll(parallelStore, true);
    assertThat(sequentialAgain).hasSizeGreaterThan(200);
    assertThat(parallelAgain).containsExactlyElementsOf(sequentialAgain);
    assertThat(parallelStore.local).isEqualTo(sequentialStore.local);
    assertThat(scanAll(parallelStore, true)).as("nothing left to find").isEmpty();
  }

  /**
   * A file that is written while it is hashed (here: just as it is opened, on whichever thread
   * hashes it) is reported unstable and not as a change, as on one thread: the stat taken after
   * the hash is not the one the walk saw.
   */
  @Test
  void aFileChangingWhileHashedOnAHelperIsUnstableAsOnOneThread() throws Exception {
    makeTree();
    Set<Path> growing = Set.of(root.resolve("d10/n100.md"), root.resolve("d20/n1220.md"), root.resolve("d29/n1499.md"));
    recording.beforeHashing = p -> {
      if (growing.contains(p)) {
        try {
          Files.writeString(p, "more", StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    List<String> sequential = scanAll(new TinyStore(), false);
    List<String> parallel = scanAll(new TinyStore(), true);

    List<String> unstable = growing.stream().map(p -> "unstable " + RelativePath.of(root.relativize(p).toString()))
        .sorted().toList();
    assertThat(sequential).filteredOn(s -> s.startsWith("unstable ")).containsExactlyInAnyOrderElementsOf(unstable);
    assertThat(sequential).noneMatch(s -> s.startsWith("d10/n100.md ") || s.startsWith("d20/n1220.md ")
        || s.startsWith("d29/n1499.md "));
    assertThat(parallel).containsExactlyElementsOf(sequential);
  }
}
