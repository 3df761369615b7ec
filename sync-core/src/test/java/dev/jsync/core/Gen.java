package dev.jsync.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for core's own property tests. Small value ranges on purpose, so that equal
 * times, equal contents and shared devices come up often. (sync-testkit ships the public
 * generators; core cannot depend on it.)
 */
final class Gen {

  static final List<DeviceId> DEVICES =
      List.of(DeviceId.fromName("laptop"), DeviceId.fromName("desktop"), DeviceId.fromName("pi"));

  private Gen() {}

  static Arbitrary<DeviceId> devices() {
    return Arbitraries.of(DEVICES);
  }

  static Arbitrary<VersionVector> vectors() {
    return Arbitraries.longs().between(0, 4).list().ofSize(DEVICES.size()).map(counts -> {
      Map<DeviceId, Long> m = new HashMap<>();
      for (int i = 0; i < counts.size(); i++) {
        m.put(DEVICES.get(i), counts.get(i));
      }
      return VersionVector.of(m);
    });
  }

  /** Contents: one of a few byte strings, so equal contents are common. */
  static Arbitrary<byte[]> contents() {
    return Arbitraries.of("", "a", "hello", "hello world").map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static FileRecord fileWith(String path, byte[] content, long mtime, boolean exec, VersionVector v, DeviceId by) {
    List<BlockInfo> blocks = new ArrayList<>();
    if (content.length > 0) {
      blocks.add(new BlockInfo(0, content.length, Sha256.of(content)));
    }
    return FileRecord.file(RelativePath.of(path), content.length, mtime, exec, blocks,
        dev.jsync.core.internal.HashedContent.contentHashOf(blocks), v, by);
  }

  /** A record of path "a.md" with the given version: a file, a folder, a link or a tombstone. */
  static Arbitrary<FileRecord> recordsWithVersion(VersionVector v, DeviceId by) {
    Arbitrary<Long> times = Arbitraries.of(1_000L, 2_000L, 2_000_000_000_000_000_000L);
    Arbitrary<FileRecord> files = Combinators.combine(contents(), times, Arbitraries.of(false, true))
        .as((c, t, x) -> fileWith("a.md", c, t, x, v, by));
    Arbitrary<FileRecord> dirs = times.map(t -> FileRecord.directory(RelativePath.of("a.md"), t, v, by));
    Arbitrary<FileRecord> links = Combinators.combine(Arbitraries.of("x", "y"), times)
        .as((target, t) -> FileRecord.symlink(RelativePath.of("a.md"), target, t, v, by));
    Arbitrary<FileRecord> tombstones = Combinators.combine(files, times)
        .as((f, t) -> f.toTombstone(v, by, t));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, files), net.jqwik.api.Tuple.of(1, dirs),
        net.jqwik.api.Tuple.of(1, links), net.jqwik.api.Tuple.of(2, tombstones));
  }

  /** Any record of "a.md", with any version; one live file in four a merge, where it can be. */
  static Arbitrary<FileRecord> records() {
    return Combinators.combine(Combinators.combine(vectors(), devices()).flatAs(Gen::recordsWithVersion),
        Arbitraries.integers().between(0, 3)).as((r, k) -> k == 0 ? asMerge(r) : r);
  }

  /**
   * {@code r} as a merge, if it is a live file whose author has a counter: of its author's
   * previous change and of the first other device's change its version holds (or of the former
   * alone).
   */
  static FileRecord asMerge(FileRecord r) {
    long made = r.version().get(r.modifiedBy());
    if (!r.isLiveFile() || made == 0) {
      return r;
    }
    Map<DeviceId, Long> sides = new HashMap<>();
    sides.put(r.modifiedBy(), made - 1);
    for (DeviceId d : DEVICES) {
      if (!d.equals(r.modifiedBy()) && r.version().get(d) > 0) {
        sides.put(d, r.version().get(d));
        break;
      }
    }
    VersionVector from = VersionVector.of(sides);
    return from.isEmpty() ? r : r.asMergeOf(from);
  }

  /** Two versions of "a.md" made concurrently by two different devices from a common base. */
  static Arbitrary<FileRecord[]> concurrentPairs() {
    return Combinators.combine(vectors(), Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 2))
        .flatAs((base, i, step) -> {
          DeviceId da = DEVICES.get(i);
          DeviceId db = DEVICES.get((i + step) % DEVICES.size());
          VersionVector va = base.increment(da);
          VersionVector vb = base.increment(db);
          return Combinators.combine(recordsWithVersion(va, da), recordsWithVersion(vb, db))
              .as((a, b) -> new FileRecord[] {a, b});
        });
  }
}
