package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The smallest {@link IndexStore} that core's unit tests need: local entries, peers' records and
 * positions, and a block index computed on demand. The full in-memory store lives in
 * sync-testkit, which core cannot use.
 */
final class TinyStore implements IndexStore {

  final TreeMap<RelativePath, LocalEntry> local = new TreeMap<>();
  /** Every batch applied, in order: tests that count writes read it. */
  final List<StoreBatch> applied = new ArrayList<>();
  private final Map<String, byte[]> meta = new HashMap<>();
  private final Map<DeviceId, TreeMap<RelativePath, FileRecord>> remote = new HashMap<>();
  private final Map<DeviceId, IndexPosition> positions = new HashMap<>();
  private final Map<RelativePath, dev.jsync.core.VersionVector> expired = new HashMap<>();
  private final java.util.TreeSet<RelativePath> downloadFolders = new java.util.TreeSet<>();

  @Override
  public Optional<LocalEntry> local(RelativePath path) {
    return Optional.ofNullable(local.get(path));
  }

  @Override
  public void forEachLocal(Consumer<LocalEntry> action) {
    List.copyOf(local.values()).forEach(action);
  }

  @Override
  public List<FileRecord> localSince(long afterSequence, int limit) {
    return local.values().stream().map(LocalEntry::record).filter(r -> r.sequence() > afterSequence)
        .sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).limit(limit).toList();
  }

  @Override
  public long lastSequence() {
    return local.values().stream().mapToLong(e -> e.record().sequence()).max().orElse(0);
  }

  @Override
  public Optional<FileRecord> remote(DeviceId peer, RelativePath path) {
    return Optional.ofNullable(remote.getOrDefault(peer, new TreeMap<>()).get(path));
  }

  @Override
  public void forEachRemote(DeviceId peer, Consumer<FileRecord> action) {
    List.copyOf(remote.getOrDefault(peer, new TreeMap<>()).values()).forEach(action);
  }

  @Override
  public IndexPosition position(DeviceId peer) {
    return positions.getOrDefault(peer, IndexPosition.NONE);
  }

  @Override
  public Set<DeviceId> peers() {
    Set<DeviceId> all = new java.util.HashSet<>(remote.keySet());
    all.addAll(positions.keySet());
    return all;
  }

  @Override
  public List<BlockLocation> blockLocations(Sha256 hash, int limit) {
    List<BlockLocation> out = new ArrayList<>();
    for (LocalEntry e : local.values()) {
      for (BlockInfo b : e.record().blocks()) {
        if (b.hash().equals(hash) && out.size() < limit) {
          out.add(new BlockLocation(e.record().path(), b.offset(), b.length()));
        }
      }
    }
    return out;
  }

  @Override
  public Optional<dev.jsync.core.VersionVector> expired(RelativePath path) {
    return Optional.ofNullable(expired.get(path));
  }

  @Override
  public List<RelativePath> downloadFolders() {
    return List.copyOf(downloadFolders);
  }

  @Override
  public Optional<byte[]> metadata(String key) {
    return Optional.ofNullable(meta.get(key));
  }

  @Override
  public void apply(StoreBatch batch) {
    applied.add(batch);
    for (StoreBatch.Op op : batch.ops()) {
      if (op instanceof StoreBatch.PutLocal p) {
        local.put(p.entry().record().path(), p.entry());
      } else if (op instanceof StoreBatch.RemoveLocal r) {
        local.remove(r.path());
      } else if (op instanceof StoreBatch.PutMetadata m) {
        meta.put(m.key(), m.value());
      } else if (op instanceof StoreBatch.PutRemote r) {
        remote.computeIfAbsent(r.peer(), k -> new TreeMap<>()).put(r.record().path(), r.record());
      } else if (op instanceof StoreBatch.ClearRemote c) {
        remote.remove(c.peer());
        positions.remove(c.peer());
      } else if (op instanceof StoreBatch.SetPosition sp) {
        positions.put(sp.peer(), sp.position());
      } else if (op instanceof StoreBatch.PutExpired e) {
        expired.put(e.path(), e.version());
      } else if (op instanceof StoreBatch.PutDownloadFolder d) {
        if (d.made()) {
          downloadFolders.add(d.path());
        } else {
          downloadFolders.remove(d.path());
        }
      }
    }
  }

  @Override
  public void close() {}

  /**
   * Records what a scan found as the local index, as the engine would: each found item as a new
   * version by {@code me} at the next sequence, each vanished one as {@code me}'s removal.
   */
  void recordScanned(List<ScanItem> items, DeviceId me) {
    long seq = lastSequence();
    for (ScanItem item : items) {
      if (item.observed().isEmpty()) {
        FileRecord old = item.base().orElseThrow().record();
        local.put(item.path(), LocalEntry.withoutStat(old.toTombstone(old.version().increment(me), me, 1)
            .withSequence(++seq)));
        continue;
      }
      Observed o = item.observed().get();
      FileRecord rec = switch (o.kind()) {
        case FILE -> FileRecord.file(item.path(), o.stat().size(), o.stat().modifiedNanos(), o.executable(),
            item.content().orElseThrow().blocks(), item.content().orElseThrow().contentHash(),
            VersionVector.empty().increment(me), me);
        case DIRECTORY -> FileRecord.directory(item.path(), 0, VersionVector.empty().increment(me), me);
        case SYMLINK -> FileRecord.symlink(item.path(), o.symlinkTarget(), 0, VersionVector.empty().increment(me), me);
      };
      local.put(item.path(), LocalEntry.of(rec.withSequence(++seq), o.stat()));
    }
  }
}
