package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.hash;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random scripts of store batches for the contract's model-based property. A script is a list of
 * steps; a step is a batch (described by small integers, so that jqwik shrinks failures to short,
 * readable scripts) and, now and then, a restart of the store. Paths, peers, block hashes and
 * metadata keys come from small pools so that batches collide: paths are re-put and removed,
 * blocks are shared between files, peers are cleared and refilled. Stateless.
 */
final class StoreScripts {

  /** What a generated operation does; turned into a real one by {@link #batch}. */
  enum Kind {
    PUT_LOCAL, RESTAT_LOCAL, STALE_LOCAL, REMOVE_LOCAL,
    PUT_REMOTE, CLEAR_REMOTE, SET_POSITION, PUT_METADATA, REMOVE_METADATA
  }

  /** One generated operation: a kind, a path from {@link #PATHS} and a variant number. */
  record OpSpec(Kind kind, int path, int variant) {}

  /** One step: a batch, then a restart of the store if {@code reopen}. */
  record Step(List<OpSpec> ops, boolean reopen) {}

  /** Includes names whose UTF-16 and UTF-8 orders differ (U+FF21 against an emoji). */
  static final List<RelativePath> PATHS = List.of("a", "a/b", "a b", "notes/2024.md", "\u00e9/\u00fc.txt",
      "\uff21", "\ud83d\ude00.md", "dir/sub/file").stream().map(RelativePath::of).toList();

  static final List<DeviceId> PEERS = List.of(SampleRecords.ALICE, SampleRecords.BOB, SampleRecords.CAROL);

  static final List<String> METADATA_KEYS = List.of("device-name", "index-epoch", "\u00fcber");

  /** Hashes that blocks are drawn from. */
  static final List<Sha256> HASHES = List.of(hash(0), hash(1), hash(2), hash(3), hash(4), hash(5));

  private StoreScripts() {}

  static Arbitrary<List<Step>> scripts() {
    Arbitrary<OpSpec> op = Combinators.combine(
            kinds(), Arbitraries.integers().between(0, PATHS.size() - 1), Arbitraries.integers().between(0, 99))
        .as(OpSpec::new);
    Arbitrary<Step> step = Combinators.combine(
            op.list().ofMaxSize(6), Arbitraries.integers().between(0, 7).map(i -> i == 0))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(12);
  }

  private static Arbitrary<Kind> kinds() {
    return Arbitraries.frequency(
        Tuple.of(8, Kind.PUT_LOCAL),
        Tuple.of(2, Kind.RESTAT_LOCAL),
        Tuple.of(1, Kind.STALE_LOCAL),
        Tuple.of(3, Kind.REMOVE_LOCAL),
        Tuple.of(3, Kind.PUT_REMOTE),
        Tuple.of(1, Kind.CLEAR_REMOTE),
        Tuple.of(2, Kind.SET_POSITION),
        Tuple.of(2, Kind.PUT_METADATA),
        Tuple.of(1, Kind.REMOVE_METADATA));
  }

  /**
   * The batch a step describes, given what the model holds now: new local records get the next
   * sequence numbers; stale ones reuse an old number, which the store must usually reject.
   */
  static StoreBatch batch(List<OpSpec> ops, ReferenceIndex model) {
    StoreBatch batch = new StoreBatch();
    long next = model.lastSequence();
    for (OpSpec op : ops) {
      RelativePath path = PATHS.get(op.path());
      int v = op.variant();
      DeviceId peer = PEERS.get(v % PEERS.size());
      switch (op.kind()) {
        case PUT_LOCAL -> batch.putLocal(entry(record(path, v, ++next), v));
        case RESTAT_LOCAL -> batch.putLocal(model.local(path)
            .map(e -> entry(e.record(), v))
            .orElseGet(() -> entry(record(path, v, model.lastSequence()), v)));
        case STALE_LOCAL -> batch.putLocal(entry(record(path, v, v % (model.lastSequence() + 1)), v));
        case REMOVE_LOCAL -> batch.removeLocal(path);
        case PUT_REMOTE -> batch.putRemote(peer, record(path, v, v + 1L));
        case CLEAR_REMOTE -> batch.clearRemote(peer);
        case SET_POSITION -> batch.setPosition(peer, new IndexPosition(v % 4, v * 7L));
        case PUT_METADATA -> batch.putMetadata(METADATA_KEYS.get(op.path() % METADATA_KEYS.size()),
            v % 5 == 0 ? new byte[0] : ("value " + v).getBytes(StandardCharsets.UTF_8));
        case REMOVE_METADATA -> batch.putMetadata(METADATA_KEYS.get(op.path() % METADATA_KEYS.size()), null);
        default -> throw new AssertionError(op);
      }
    }
    return batch;
  }

  private static LocalEntry entry(FileRecord record, int variant) {
    return variant % 3 == 0
        ? LocalEntry.withoutStat(record)
        : LocalEntry.of(record, new DiskStat(variant * 1000L, variant * 1_000_000_007L, "inode " + variant));
  }

  /** A file (of 0 to 3 blocks), folder, symlink or tombstone, chosen by {@code variant}. */
  static FileRecord record(RelativePath path, int variant, long sequence) {
    String p = path.toString();
    return switch (variant % 5) {
      case 0, 1 -> {
        int blocks = (variant / 5) % 4;
        List<Sha256> hashes = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
          hashes.add(HASHES.get((variant + i * i) % HASHES.size()));
        }
        yield SampleRecords.file(p, sequence, variant, hashes.toArray(new Sha256[0]));
      }
      case 2 -> SampleRecords.directory(p, sequence);
      case 3 -> SampleRecords.symlink(p, "target-" + variant, sequence);
      default -> SampleRecords.tombstone(p, sequence);
    };
  }
}
