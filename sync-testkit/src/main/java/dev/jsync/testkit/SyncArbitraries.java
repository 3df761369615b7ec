package dev.jsync.testkit;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * The jqwik generators of the testkit, as static factories in one place: device ids, paths
 * (hostile ones included), contents, version vectors, file records, concurrent pairs of
 * records, clock skews, network faults, operations, scripts and whole scenarios.
 *
 * <pre>{@code
 * @Property(tries = 200)
 * void myRuleHolds(@ForAll("pairs") FileRecord[] pair) { ... }
 *
 * @Provide
 * Arbitrary<FileRecord[]> pairs() {
 *   return SyncArbitraries.concurrentRecordPairs();
 * }
 * }</pre>
 *
 * <p>Value ranges are small on purpose, so that equal times, equal contents, shared devices
 * and clashing paths come up often: that is where sync rules break. Stateless and thread-safe.
 */
public final class SyncArbitraries {

  /** The devices the generators use unless given others. */
  public static final List<String> DEVICE_NAMES = List.of("laptop", "desktop", "pi", "vps", "phone");

  /**
   * Paths the operation generator works on: few, nested, clashing (x is a file or a folder;
   * {@code A.md} and {@code a.md} are one name on a Mac or Windows node, see {@link Platform}).
   */
  static final List<String> SCRIPT_PATHS = List.of("a.md", "b.txt", "notes/c.md", "notes/d.md",
      "notes/deep/e.md", "x", "x/y.md", "x/z/w.md", "caf\u00e9 \u4e2d.md", "with space.txt", "A.md");

  /** Folders the operation generator creates and removes. */
  static final List<String> SCRIPT_FOLDERS = List.of("notes", "notes/deep", "x", "x/z", "empty", "empty/inner");

  private SyncArbitraries() {}

  // ---------------------------------------------------------------- identities and paths

  /** Device ids, mostly from {@link #DEVICE_NAMES} so that they repeat, sometimes random. */
  public static Arbitrary<DeviceId> deviceIds() {
    return Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.of(DEVICE_NAMES).map(DeviceId::fromName)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(DeviceId.LENGTH).map(DeviceId::of)));
  }

  /** Valid relative paths: nested, Unicode, spaces, dots, names at the length limit. */
  public static Arbitrary<RelativePath> relativePaths() {
    Arbitrary<String> segment = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("notes", "a.md", "b.txt", "x", "daily", "2026-11-24.md", ".obsidian", "img.png")),
        Tuple.of(2, Arbitraries.of("caf\u00e9", "\u4e2d\u6587", "\u0434\u043e\u043a", "emoji \ud83d\ude00",
            "with space", "..hidden", "trailing.", ".dotfile", "con", "a\\b".replace('\\', '_'))),
        Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', ' ').ofMinLength(1).ofMaxLength(12)),
        Tuple.of(1, Arbitraries.of("n".repeat(RelativePath.MAX_SEGMENT_BYTES),
            "\u00e9".repeat(RelativePath.MAX_SEGMENT_BYTES / 2))));
    return segment.list().ofMinSize(1).ofMaxSize(5)
        .map(l -> String.join("/", l))
        .filter(RelativePath::isValid)
        .map(RelativePath::of);
  }

  /**
   * Raw path strings a hostile or foreign peer might send: escapes ({@code ../x}), absolute
   * paths, Windows forms, empty and dot segments, control characters, jSync's own state and
   * temp names, over-long names, unpaired surrogates, decomposed Unicode, plus random noise.
   * {@link RelativePath#of} must reject or normalise each without ever naming a path outside
   * the folder.
   */
  public static Arbitrary<String> hostilePathStrings() {
    Arbitrary<String> known = Arbitraries.of(
        "..", "../x", "a/../../x", "a/..", "/etc/passwd", "//server/share", "C:x", "C:\\x", "\\\\server\\share\\x",
        "a//b", "a/./b", "./a", "a/", "", ".", "a\u0000b", "a\nb", "\u007f", ".jsync", ".jsync/index",
        ".jsync-tmp-1234", "x/.jsync-tmp-9", "a\\..\\..\\x", "\ud800", "a\udc00b", "e\u0301", "Cafe\u0301/x",
        "n".repeat(RelativePath.MAX_SEGMENT_BYTES + 1), "a/".repeat(2100) + "a", " ", "a/ /b", "\u202eexe.txt");
    Arbitrary<String> noise = Arbitraries.strings().withChars("./\\:\u0000a\u00e9 ").ofMaxLength(12);
    return Arbitraries.frequencyOf(Tuple.of(3, known), Tuple.of(1, noise));
  }

  /** Either kind: valid paths as strings, or hostile ones. */
  public static Arbitrary<String> pathStrings() {
    return Arbitraries.oneOf(relativePaths().map(RelativePath::toString), hostilePathStrings());
  }

  // ---------------------------------------------------------------- contents and records

  /**
   * File contents: often one of a few short strings (so that equal contents are common),
   * sometimes random bytes, sometimes empty.
   */
  public static Arbitrary<byte[]> contents() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("", "a", "hello", "hello world", "# notes\n").map(s -> s.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
  }

  /** Version vectors over {@code devices}, each counter 0 to 4. */
  public static Arbitrary<VersionVector> versionVectors(List<DeviceId> devices) {
    return Arbitraries.longs().between(0, 4).list().ofSize(devices.size()).map(counts -> {
      Map<DeviceId, Long> m = new HashMap<>();
      for (int i = 0; i < counts.size(); i++) {
        m.put(devices.get(i), counts.get(i));
      }
      return VersionVector.of(m);
    });
  }

  /** Version vectors over the first three {@link #DEVICE_NAMES}. */
  public static Arbitrary<VersionVector> versionVectors() {
    return versionVectors(defaultDevices());
  }

  /** A live file record with these fields (blocks and hashes computed from {@code content}). */
  public static FileRecord fileRecord(RelativePath path, byte[] content, long modifiedNanos, boolean executable,
      VersionVector version, DeviceId by) {
    List<BlockInfo> blocks = new ArrayList<>();
    MessageDigest list = Sha256.newDigest();
    for (int off = 0; off < content.length; off += BlockInfo.SIZE) {
      int len = Math.min(BlockInfo.SIZE, content.length - off);
      Sha256 h = Sha256.of(content, off, len);
      blocks.add(new BlockInfo(off, len, h));
      list.update(h.toBytes());
    }
    return FileRecord.file(path, content.length, modifiedNanos, executable, blocks, Sha256.finish(list), version, by);
  }

  /**
   * Records of {@code path} with the given version and author: files (mostly), folders,
   * symlinks and tombstones, with modification times from a small set so that ties happen.
   */
  public static Arbitrary<FileRecord> records(RelativePath path, VersionVector version, DeviceId by) {
    // Equal times, times a second or two apart (around tie windows and FAT's 2 s precision),
    // an hour apart (a skewed clock), and the epoch's first microseconds.
    long t0 = 1_767_603_600_000_000_000L;
    Arbitrary<Long> times = Arbitraries.of(1_000L, 2_000L, t0, t0 + 1_000_000_000L, t0 + 2_500_000_000L,
        t0 + 3_600_000_000_000L);
    Arbitrary<FileRecord> files = Combinators.combine(contents(), times, Arbitraries.of(false, true))
        .as((c, t, x) -> fileRecord(path, c, t, x, version, by));
    Arbitrary<FileRecord> dirs = times.map(t -> FileRecord.directory(path, t, version, by));
    Arbitrary<FileRecord> links = Combinators.combine(Arbitraries.of("target", "../elsewhere"), times)
        .as((target, t) -> FileRecord.symlink(path, target, t, version, by));
    Arbitrary<FileRecord> tombstones = Combinators.combine(files, times).as((f, t) -> f.toTombstone(version, by, t));
    return Arbitraries.frequencyOf(Tuple.of(6, files), Tuple.of(1, dirs), Tuple.of(1, links), Tuple.of(2, tombstones));
  }

  /** Any record of {@code notes/a.md} by one of the default devices, with any version. */
  public static Arbitrary<FileRecord> records() {
    RelativePath path = RelativePath.of("notes/a.md");
    return Combinators.combine(versionVectors(), Arbitraries.of(defaultDevices()))
        .flatAs((v, by) -> records(path, v, by));
  }

  /**
   * Two versions of one path made concurrently by two different devices from a common base:
   * what a {@code ConflictResolver} is asked to decide.
   */
  public static Arbitrary<FileRecord[]> concurrentRecordPairs(List<DeviceId> devices) {
    if (devices.size() < 2) {
      throw new IllegalArgumentException("two devices are needed for a conflict");
    }
    RelativePath path = RelativePath.of("notes/a.md");
    return Combinators.combine(versionVectors(devices), Arbitraries.integers().between(0, devices.size() - 1),
        Arbitraries.integers().between(1, devices.size() - 1)).flatAs((base, i, step) -> {
          DeviceId da = devices.get(i);
          DeviceId db = devices.get((i + step) % devices.size());
          return Combinators.combine(records(path, base.increment(da), da), records(path, base.increment(db), db))
              .as((a, b) -> new FileRecord[] {a, b});
        });
  }

  /**
   * Three versions of one path made concurrently by three different devices from a common base
   * (needs three devices or more).
   */
  public static Arbitrary<FileRecord[]> concurrentRecordTriples(List<DeviceId> devices) {
    if (devices.size() < 3) {
      throw new IllegalArgumentException("three devices are needed for three concurrent versions");
    }
    RelativePath path = RelativePath.of("notes/a.md");
    Arbitrary<List<DeviceId>> authors = Arbitraries.shuffle(devices).map(l -> l.subList(0, 3));
    return Combinators.combine(versionVectors(devices), authors).flatAs((base, by) -> Combinators.combine(
        records(path, base.increment(by.get(0)), by.get(0)), records(path, base.increment(by.get(1)), by.get(1)),
        records(path, base.increment(by.get(2)), by.get(2))).as((a, b, c) -> new FileRecord[] {a, b, c}));
  }

  /** Concurrent pairs over the first three {@link #DEVICE_NAMES}. */
  public static Arbitrary<FileRecord[]> concurrentRecordPairs() {
    return concurrentRecordPairs(defaultDevices());
  }

  private static List<DeviceId> defaultDevices() {
    return DEVICE_NAMES.subList(0, 3).stream().map(DeviceId::fromName).toList();
  }

  // ---------------------------------------------------------------- environment

  /** Clock skews: mostly exact; otherwise seconds, minutes or an hour off, with some drift. */
  public static Arbitrary<ClockSkew> clockSkews() {
    Arbitrary<ClockSkew> off = Combinators.combine(
        Arbitraries.of(Duration.ofSeconds(2), Duration.ofMinutes(3), Duration.ofHours(1), Duration.ofHours(-1),
            Duration.ofSeconds(-5), Duration.ofMinutes(-2)),
        Arbitraries.of(0L, 0L, 50L, -50L, 500L)).as(ClockSkew::new);
    return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(ClockSkew.none())), Tuple.of(2, off));
  }

  /**
   * Network fault rates: a clean LAN, a lossy one, or a flaky internet path; about half of
   * the faulty ones also show a real transport's faults (re-handshakes while the old
   * connection delivers, index batches repeated or skipped, failed handshakes).
   */
  public static Arbitrary<NetworkFaults> networkFaults() {
    Arbitrary<NetworkFaults> lossy = Combinators.combine(
        Arbitraries.of(0.0, 0.02, 0.1, 0.3),
        Arbitraries.of(0.0, 0.05),
        Arbitraries.of(0.0, 0.005, 0.02, 0.05),
        Arbitraries.of(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMillis(300)))
        .as((loss, dup, reset, maxLatency) -> NetworkFaults.none()
            .withLatency(Duration.ofMillis(1), maxLatency).withLoss(loss).withDuplication(dup).withResetRate(reset));
    Arbitrary<NetworkFaults> faulty = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(NetworkFaults.flaky())), Tuple.of(3, lossy), Tuple.of(1, transportFaults()));
    Arbitrary<NetworkFaults> withTransport = Combinators.combine(faulty, transportFaults())
        .as((f, t) -> f.withTransportFaults(t.rehandshakeRate(), t.batchRepeat(), t.batchSkip(), t.handshakeFailure()));
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(NetworkFaults.none())), Tuple.of(4, faulty),
        Tuple.of(4, withTransport));
  }

  /**
   * Transport-level fault rates alone, on a clean LAN: re-handshakes (per message), repeated
   * batches, skipped batches (rare) and failed handshakes; at least one is on.
   */
  public static Arbitrary<NetworkFaults> transportFaults() {
    return Combinators.combine(
        Arbitraries.of(0.0, 0.005, 0.02, 0.05),
        Arbitraries.of(0.0, 0.05, 0.2),
        Arbitraries.of(0.0, 0.0, 0.01, 0.05),
        Arbitraries.of(0.0, 0.0, 0.2, 0.5))
        .as((rehandshake, repeat, skip, handshake) -> NetworkFaults.none()
            .withTransportFaults(rehandshake, repeat, skip, handshake))
        .filter(NetworkFaults::hasTransportFaults);
  }

  /**
   * One disk's fault rates: a full disk, I/O errors and refused names, each off or at 1%, 5% or
   * 20% of the operations that can meet it, at least one of them on. No slow fsync: a task takes
   * no virtual time. Failed folder syncs are generated only with the system property
   * {@code jsync.sim.folderSyncFaults=true}, for long runs (docs/testkit.md, "The disk-fault phase").
   */
  public static Arbitrary<DiskFaults> diskFaults() {
    Arbitrary<Double> rate = Arbitraries.of(0.0, 0.0, 0.01, 0.05, 0.2);
    Arbitrary<Double> folderSync = Boolean.getBoolean("jsync.sim.folderSyncFaults") ? rate : Arbitraries.just(0.0);
    return Combinators.combine(rate, rate, folderSync, rate)
        .as((full, io, sync, denied) -> new DiskFaults(full, io, sync, denied, Duration.ZERO))
        .filter(f -> !f.isNone());
  }

  /**
   * Disk faults for {@code n} nodes: two times in three none at all (an empty list), otherwise
   * each node's disk fails with even odds ({@link #diskFaults()}).
   */
  public static Arbitrary<List<DiskFaults>> diskFaultsPerNode(int n) {
    Arbitrary<List<DiskFaults>> some = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(DiskFaults.none())), Tuple.of(1, diskFaults())).list().ofSize(n);
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.<DiskFaults>of())), Tuple.of(1, some));
  }

  // ---------------------------------------------------------------- scripts

  /**
   * Sizes for written content: mostly a few dozen bytes, sometimes empty (shared by every
   * empty write), sometimes a few KiB, rarely more than one block.
   */
  static Arbitrary<Integer> sizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.integers().between(1, 200)),
        Tuple.of(1, Arbitraries.just(0)),
        Tuple.of(2, Arbitraries.integers().between(1000, 8000)),
        Tuple.of(1, Arbitraries.integers().between(BlockInfo.SIZE + 1, 2 * BlockInfo.SIZE + 100)));
  }

  /** Things users do on nodes {@code 0..nodes-1}, on a small set of clashing paths. */
  public static Arbitrary<Operation> userOperations(int nodes) {
    Arbitrary<Integer> node = nodeIndexes(nodes);
    // A few hot paths take most operations, so that devices clash on them often.
    Arbitrary<String> path = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(SCRIPT_PATHS.subList(0, 3))), Tuple.of(4, Arbitraries.of(SCRIPT_PATHS)));
    Arbitrary<String> folder = Arbitraries.of(SCRIPT_FOLDERS);
    return Arbitraries.frequencyOf(
        Tuple.of(30, Combinators.combine(node, path, sizes()).as(Operation.Write::new)),
        Tuple.of(6, Combinators.combine(node, path, Arbitraries.integers().between(1, 100)).as(Operation.Append::new)),
        Tuple.of(6, Combinators.combine(node, path, Arbitraries.integers().between(0, SimulatedCluster.NOTE_LINES - 1))
            .as(Operation.EditLine::new)),
        Tuple.of(10, Combinators.combine(node, path).as(Operation.Delete::new)),
        Tuple.of(8, Combinators.combine(node, path, path).as(Operation.Rename::new)),
        Tuple.of(5, Combinators.combine(node, folder).as(Operation.Mkdir::new)),
        Tuple.of(4, Combinators.combine(node, folder).as(Operation.Rmdir::new)),
        Tuple.of(5, Combinators.combine(node, path, Arbitraries.of(true, false)).as(Operation.Chmod::new)));
  }

  /**
   * Faults among nodes {@code 0..nodes-1}: partitions, heals, resets, re-handshakes, crashes
   * and restarts.
   */
  public static Arbitrary<Operation> faultOperations(int nodes) {
    Arbitrary<Integer> node = nodeIndexes(nodes);
    Arbitrary<Operation> partition = nodeIndexes(nodes).set().ofMinSize(1)
        .ofMaxSize(Math.max(1, nodes - 1)).map(s -> new Operation.Partition(s.stream().sorted().toList()));
    return Arbitraries.frequencyOf(
        Tuple.of(4, partition),
        Tuple.of(4, Arbitraries.just(new Operation.Heal())),
        Tuple.of(3, Combinators.combine(node, node).as(Operation.ResetLink::new)),
        Tuple.of(3, Combinators.combine(node, node).as(Operation.Rehandshake::new)),
        Tuple.of(3, node.map(Operation.Crash::new)),
        Tuple.of(3, node.map(Operation.Restart::new)));
  }

  private static Arbitrary<Integer> nodeIndexes(int nodes) {
    return Arbitraries.integers().between(0, nodes - 1).withDistribution(RandomDistribution.uniform());
  }

  /** Pauses: mostly short, sometimes long enough for back-offs, keep-alives and periodic scans. */
  public static Arbitrary<Operation> waits() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(1, 500)),
        Tuple.of(3, Arbitraries.longs().between(500, 5_000)),
        Tuple.of(1, Arbitraries.of(20_000L, 65_000L))).map(Operation::sleep);
  }

  /** Any operation: mostly user actions, some pauses, some faults. */
  public static Arbitrary<Operation> operations(int nodes) {
    return Arbitraries.frequencyOf(Tuple.of(70, userOperations(nodes)), Tuple.of(12, waits()),
        Tuple.of(18, faultOperations(nodes)));
  }

  /**
   * Scripts of up to {@code maxLength} operations. One in three also holds, somewhere, two
   * users' line edits of one note ({@link #noteEdits}), unless the system property
   * {@code jsync.sim.noteEpisodes} is {@code false}; line edits also come up among the ordinary
   * user operations.
   */
  public static Arbitrary<List<Operation>> operationScripts(int nodes, int maxLength) {
    Arbitrary<List<Operation>> none = Arbitraries.just(List.<Operation>of());
    Arbitrary<List<Operation>> episode = noteEpisodes()
        ? Arbitraries.frequencyOf(Tuple.of(2, none), Tuple.of(1, noteEdits(nodes)))
        : none;
    return Combinators.combine(operations(nodes).list().ofMaxSize(maxLength), episode,
        Arbitraries.integers().between(0, maxLength)).as((ops, edits, at) -> {
          List<Operation> out = new ArrayList<>(ops);
          out.addAll(Math.min(at, out.size()), edits);
          return out;
        });
  }

  /** Whether scripts hold note-edit episodes: unless {@code -Djsync.sim.noteEpisodes=false}. */
  static boolean noteEpisodes() {
    return switchedOn("jsync.sim.noteEpisodes");
  }

  /** Whether a generator switch is on: it is unless its system property says {@code false}. */
  private static boolean switchedOn(String property) {
    return !"false".equalsIgnoreCase(System.getProperty(property, "true").strip());
  }

  /**
   * Two users edit a line each of one note, each without the other's edit (docs/testkit.md,
   * "Merged notes"): the network heals, a user writes the note (or edits it, where a file is
   * there), time passes for it to reach every node, then (sometimes cut off from each other)
   * two users on different nodes each edit one line of it: most often lines far enough apart to
   * be merged, sometimes the same line or neighbours.
   */
  static Arbitrary<List<Operation>> noteEdits(int nodes) {
    Arbitrary<Integer> node = nodeIndexes(nodes);
    Arbitrary<Integer> other = Arbitraries.integers().between(1, Math.max(1, nodes - 1));
    Arbitrary<String> path = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("notes/plan.md")),
        Tuple.of(1, Arbitraries.of("a.md", "b.txt", "notes/c.md")));
    Arbitrary<Integer> line = Arbitraries.integers().between(0, SimulatedCluster.NOTE_LINES - 1);
    return Combinators.combine(node, node, other, path, line, line, Arbitraries.of(true, false))
        .as((writer, a, offset, p, first, second, apart) -> {
          int b = (a + offset) % nodes;
          List<Operation> ops = new ArrayList<>(List.of(new Operation.Heal(), Operation.editLine(writer, p, 0),
              Operation.sleep(3_000)));
          if (apart) {
            ops.add(new Operation.Partition(List.of(a)));
          }
          ops.add(Operation.editLine(a, p, first));
          ops.add(Operation.editLine(b, p, second));
          if (apart) {
            ops.add(new Operation.Heal());
          }
          return ops;
        });
  }

  /** Fault schedules alone (faults and pauses), for runs whose user actions are fixed. */
  public static Arbitrary<List<Operation>> faultSchedules(int nodes, int maxLength) {
    return Arbitraries.oneOf(faultOperations(nodes), waits()).list().ofMaxSize(maxLength);
  }

  // ---------------------------------------------------------------- starting states

  /**
   * Paths a starting state puts files at: the script's own (so users act on pre-seeded files)
   * and a vault's worth more.
   */
  static final List<String> VAULT_PATHS;

  static {
    List<String> v = new ArrayList<>(SCRIPT_PATHS);
    v.remove("A.md"); // a vault copied onto a Mac cannot hold it beside a.md
    for (int i = 1; i <= 12; i++) {
      v.add("vault/note " + i + ".md");
    }
    v.addAll(List.of("vault/daily/2026-01-04.md", "vault/daily/2026-01-05.md", "vault/img/a.png", "run.sh"));
    VAULT_PATHS = List.copyOf(v);
  }

  /** How a pre-seeded path differs across nodes. */
  private enum SeedMode { SAME, SAME_BYTES_OTHER_TIMES, OTHER_BIT, OTHER_BYTES, SOME_NODES }

  /**
   * What {@code nodes} folders hold before jSync first starts: nothing (most often), or a vault
   * copied to every device, identical or nearly so. Each path is, as drawn: the same bytes, bit
   * and time everywhere (a {@code cp -a}); the same bytes at different times (a plain copy);
   * the same bytes with the executable bit set on one node; other bytes on one node; or on some
   * nodes only. Some empty folders too, everywhere or on one node. The index then travels in
   * batches of 1 to 8 records (or the default), so that streams span many batches.
   */
  public static Arbitrary<StartingState> startingStates(int nodes) {
    // One independent plan per path, in a plain list: a combination of one arbitrary per path
    // would multiply their edge cases, and jqwik computes them all, enough to exhaust a long
    // run's memory.
    Arbitrary<SeedPlan> plan = Combinators.combine(Arbitraries.of(VAULT_PATHS),
        Arbitraries.frequency(Tuple.of(6, SeedMode.SAME), Tuple.of(3, SeedMode.SAME_BYTES_OTHER_TIMES),
            Tuple.of(1, SeedMode.OTHER_BIT), Tuple.of(2, SeedMode.OTHER_BYTES), Tuple.of(2, SeedMode.SOME_NODES)),
        Arbitraries.integers().between(1, 999_999), Arbitraries.of(0L, 0L, 3_600L, 30 * 86_400L),
        Arbitraries.of(false, false, false, true), nodeIndexes(nodes),
        Arbitraries.integers().between(0, (1 << nodes) - 1)).as(SeedPlan::new);
    Arbitrary<StartingState> vault = Combinators.combine(
        plan.list().ofMinSize(1).ofMaxSize(12).uniqueElements(SeedPlan::path),
        seededFolders(nodes),
        Arbitraries.of(0, 1, 3, 8))
        .as((plans, folders, batch) -> {
          List<StartingState.Seeded> all = new ArrayList<>();
          plans.stream().sorted(java.util.Comparator.comparing(SeedPlan::path)).forEach(p -> all.addAll(p.entries(nodes)));
          all.addAll(folders);
          return new StartingState(batch, all);
        });
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(StartingState.none())), Tuple.of(1, vault))
        .withoutEdgeCases();
  }

  /** How one pre-seeded path differs across nodes; {@link #entries} spells it out. */
  private record SeedPlan(String path, SeedMode mode, int content, long age, boolean exec, int odd, int mask) {
    List<StartingState.Seeded> entries(int nodes) {
      List<StartingState.Seeded> out = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        boolean isOdd = n == odd;
        switch (mode) {
          case SAME -> out.add(StartingState.file(n, path, content, exec, age));
          case SAME_BYTES_OTHER_TIMES -> out.add(StartingState.file(n, path, content, exec, age + 7L * n));
          case OTHER_BIT -> out.add(StartingState.file(n, path, content, exec ^ isOdd, age));
          case OTHER_BYTES -> out.add(StartingState.file(n, path, isOdd ? content + 1_000_000 : content, exec, age));
          case SOME_NODES -> {
            if (isOdd || (mask & (1 << n)) != 0) {
              out.add(StartingState.file(n, path, content, exec, age));
            }
          }
        }
      }
      return out;
    }
  }

  private static Arbitrary<List<StartingState.Seeded>> seededFolders(int nodes) {
    Arbitrary<List<StartingState.Seeded>> one = Combinators.combine(
        Arbitraries.of("empty", "empty/inner", "vault/attachments", "notes/deep"),
        Arbitraries.integers().between(-1, nodes - 1))
        .as((path, node) -> {
          List<StartingState.Seeded> out = new ArrayList<>();
          for (int n = 0; n < nodes; n++) {
            if (node < 0 || node == n) {
              out.add(StartingState.folder(n, path));
            }
          }
          return out;
        });
    return one.list().ofMaxSize(3).map(l -> l.stream().flatMap(List::stream).toList());
  }

  /**
   * Whole scenarios of {@code minNodes} to {@code maxNodes} nodes named after
   * {@link #DEVICE_NAMES}, with clock skews, network faults, disk faults (one time in three,
   * see {@link #diskFaultsPerNode}), a starting state (empty folders two times in three) and a
   * script of up to {@code maxOperations} operations.
   */
  public static Arbitrary<Scenario> scenarios(int minNodes, int maxNodes, int maxOperations) {
    return scenarios(DEVICE_NAMES, minNodes, maxNodes, maxOperations);
  }

  /**
   * Whole scenarios whose nodes are the first {@code minNodes} to {@code maxNodes} of
   * {@code names}.
   */
  public static Arbitrary<Scenario> scenarios(List<String> names, int minNodes, int maxNodes, int maxOperations) {
    if (minNodes < 1 || maxNodes > names.size() || minNodes > maxNodes) {
      throw new IllegalArgumentException("nodes must be within 1.." + names.size());
    }
    List<String> copy = List.copyOf(names);
    return Arbitraries.integers().between(minNodes, maxNodes).withDistribution(RandomDistribution.uniform())
        .flatMap(n -> Combinators.combine(
        Arbitraries.longs(), clockSkews().list().ofSize(n), networkFaults(), operationScripts(n, maxOperations),
        startingStates(n), diskFaultsPerNode(n), platformsPerNode(n))
        .as((seed, skews, faults, ops, start, disks, platforms) ->
            new Scenario(seed, copy.subList(0, n), skews, faults, ops, start, disks, platforms)));
  }

  /**
   * Each of {@code n} nodes' {@link Platform}: in half the scenarios Linux everywhere (an empty
   * list), in the other half each node Linux, macOS or Windows with even odds.
   */
  public static Arbitrary<List<Platform>> platformsPerNode(int n) {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.<Platform>of())),
        Tuple.of(1, Arbitraries.of(Platform.class).list().ofSize(n)));
  }

  /** Scenarios of 3 to 5 nodes with up to 24 operations: the CI simulation. */
  public static Arbitrary<Scenario> scenarios() {
    return scenarios(3, 5, 24);
  }
}
