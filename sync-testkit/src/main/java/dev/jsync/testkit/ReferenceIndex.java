package dev.jsync.testkit;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The semantics of {@code IndexStore}, written as plainly as possible to serve as the reference
 * the contract's properties compare real stores against: every query is computed by brute force
 * from a map of local entries, so it shares no index-keeping logic with any implementation.
 *
 * <p>Not thread-safe; no I/O.
 */
final class ReferenceIndex {

  private Map<RelativePath, LocalEntry> local = new HashMap<>();
  private Map<DeviceId, Map<RelativePath, FileRecord>> remote = new HashMap<>();
  private Map<DeviceId, IndexPosition> positions = new HashMap<>();
  private Map<String, byte[]> metadata = new HashMap<>();
  private long lastSequence;

  /**
   * Applies {@code batch} whole, or not at all when an operation breaks the sequence rule.
   *
   * @return {@code false} if the batch was rejected
   */
  boolean apply(StoreBatch batch) {
    Map<RelativePath, LocalEntry> l = new HashMap<>(local);
    Map<DeviceId, Map<RelativePath, FileRecord>> r = new HashMap<>();
    remote.forEach((peer, records) -> r.put(peer, new HashMap<>(records)));
    Map<DeviceId, IndexPosition> p = new HashMap<>(positions);
    Map<String, byte[]> m = new HashMap<>(metadata);
    long last = lastSequence;
    for (StoreBatch.Op op : batch.ops()) {
      if (op instanceof StoreBatch.PutLocal put) {
        FileRecord record = put.entry().record();
        LocalEntry current = l.get(record.path());
        if (record.sequence() > last) {
          last = record.sequence();
        } else if (current == null || !current.record().equals(record)) {
          return false;
        }
        l.put(record.path(), put.entry());
      } else if (op instanceof StoreBatch.RemoveLocal remove) {
        l.remove(remove.path());
      } else if (op instanceof StoreBatch.PutRemote put) {
        r.computeIfAbsent(put.peer(), k -> new HashMap<>()).put(put.record().path(), put.record());
      } else if (op instanceof StoreBatch.ClearRemote clear) {
        r.remove(clear.peer());
        p.remove(clear.peer());
      } else if (op instanceof StoreBatch.SetPosition set) {
        p.put(set.peer(), set.position());
      } else if (op instanceof StoreBatch.PutMetadata put) {
        if (put.value() == null) {
          m.remove(put.key());
        } else {
          m.put(put.key(), put.value().clone());
        }
      } else {
        throw new AssertionError("unknown op " + op);
      }
    }
    local = l;
    remote = r;
    positions = p;
    metadata = m;
    lastSequence = last;
    return true;
  }

  Optional<LocalEntry> local(RelativePath path) {
    return Optional.ofNullable(local.get(path));
  }

  List<LocalEntry> locals() {
    return new ArrayList<>(new TreeMap<>(local).values());
  }

  List<FileRecord> localSince(long afterSequence, int limit) {
    return local.values().stream()
        .map(LocalEntry::record)
        .filter(r -> r.sequence() > afterSequence)
        .sorted(Comparator.comparingLong(FileRecord::sequence))
        .limit(limit)
        .toList();
  }

  long lastSequence() {
    return lastSequence;
  }

  Optional<FileRecord> remote(DeviceId peer, RelativePath path) {
    return Optional.ofNullable(remote.getOrDefault(peer, Map.of()).get(path));
  }

  List<FileRecord> remotes(DeviceId peer) {
    return new ArrayList<>(new TreeMap<>(remote.getOrDefault(peer, Map.of())).values());
  }

  IndexPosition position(DeviceId peer) {
    return positions.getOrDefault(peer, IndexPosition.NONE);
  }

  Set<DeviceId> peers() {
    Set<DeviceId> out = new HashSet<>(positions.keySet());
    remote.forEach((peer, records) -> {
      if (!records.isEmpty()) {
        out.add(peer);
      }
    });
    return out;
  }

  /** Every local live file with a block of this hash. */
  Set<RelativePath> filesWithBlock(Sha256 hash) {
    Set<RelativePath> out = new HashSet<>();
    for (LocalEntry e : local.values()) {
      for (BlockInfo b : e.record().blocks()) {
        if (b.hash().equals(hash)) {
          out.add(e.record().path());
        }
      }
    }
    return out;
  }

  Optional<byte[]> metadata(String key) {
    return Optional.ofNullable(metadata.get(key)).map(byte[]::clone);
  }

  Set<String> metadataKeys() {
    return metadata.keySet();
  }
}
