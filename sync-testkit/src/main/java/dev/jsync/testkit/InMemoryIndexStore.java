package dev.jsync.testkit;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An {@link IndexStore} held in memory: a full implementation for tests and simulations that
 * passes {@link IndexStoreContract}, as the RocksDB store does.
 *
 * <p>It is not persistent. To simulate a process restart (a crash or a clean stop and start),
 * call {@link #reopen()}: it closes this store and returns a new one holding every batch applied
 * so far. Since each batch is applied whole or not at all, that is also exactly what a durable
 * store holds after a crash.
 *
 * <p>Thread-safe: every call holds the store's lock while it reads or changes the maps. The
 * {@code forEach} methods copy what they visit under the lock and call back outside it, so a
 * callback may apply batches. No I/O.
 */
public final class InMemoryIndexStore implements IndexStore {

  private State state;
  private boolean closed;

  /** An empty store. */
  public InMemoryIndexStore() {
    this(new State());
  }

  private InMemoryIndexStore(State state) {
    this.state = state;
  }

  /**
   * Closes this store (if still open) and returns a new, open store with the same contents: what
   * the next process finds after a restart. Each store can be reopened once.
   *
   * @throws IllegalStateException if this store was already reopened
   */
  public synchronized InMemoryIndexStore reopen() {
    if (state == null) {
      throw new IllegalStateException("this InMemoryIndexStore was already reopened; reopen the newer one");
    }
    InMemoryIndexStore next = new InMemoryIndexStore(state);
    state = null;
    closed = true;
    return next;
  }

  @Override
  public synchronized Optional<LocalEntry> local(RelativePath path) {
    Objects.requireNonNull(path, "path");
    return Optional.ofNullable(open().local.get(path));
  }

  @Override
  public void forEachLocal(Consumer<LocalEntry> action) {
    Objects.requireNonNull(action, "action");
    List<LocalEntry> copy;
    synchronized (this) {
      copy = new ArrayList<>(open().local.values());
    }
    copy.forEach(action);
  }

  @Override
  public synchronized List<FileRecord> localSince(long afterSequence, int limit) {
    checkLimit(limit);
    State s = open();
    List<FileRecord> out = new ArrayList<>(Math.min(limit, 1024));
    for (RelativePath path : s.bySequence.tailMap(afterSequence, false).values()) {
      if (out.size() == limit) {
        break;
      }
      out.add(s.local.get(path).record());
    }
    return out;
  }

  @Override
  public synchronized long lastSequence() {
    return open().lastSequence;
  }

  @Override
  public synchronized Optional<FileRecord> remote(DeviceId peer, RelativePath path) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(path, "path");
    return Optional.ofNullable(open().remote.getOrDefault(peer, new TreeMap<>()).get(path));
  }

  @Override
  public void forEachRemote(DeviceId peer, Consumer<FileRecord> action) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(action, "action");
    List<FileRecord> copy;
    synchronized (this) {
      copy = new ArrayList<>(open().remote.getOrDefault(peer, new TreeMap<>()).values());
    }
    copy.forEach(action);
  }

  @Override
  public synchronized IndexPosition position(DeviceId peer) {
    Objects.requireNonNull(peer, "peer");
    return open().positions.getOrDefault(peer, IndexPosition.NONE);
  }

  @Override
  public synchronized Set<DeviceId> peers() {
    State s = open();
    // Sorted, not Set.copyOf: the engine iterates the peers, and the iteration order of the
    // JDK's immutable sets changes from one JVM to the next, which would break seed replay.
    java.util.TreeSet<DeviceId> out = new java.util.TreeSet<>(s.positions.keySet());
    out.addAll(s.remote.keySet());
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  @Override
  public synchronized List<BlockLocation> blockLocations(Sha256 hash, int limit) {
    Objects.requireNonNull(hash, "hash");
    checkLimit(limit);
    Map<RelativePath, BlockLocation> files = open().blocks.getOrDefault(hash, new TreeMap<>());
    return files.values().stream().limit(limit).toList();
  }

  @Override
  public synchronized Optional<VersionVector> expired(RelativePath path) {
    Objects.requireNonNull(path, "path");
    return Optional.ofNullable(open().expired.get(path));
  }

  @Override
  public synchronized List<RelativePath> downloadFolders() {
    return List.copyOf(open().downloadFolders);
  }

  @Override
  public synchronized Optional<byte[]> metadata(String key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(open().metadata.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized void apply(StoreBatch batch) {
    Objects.requireNonNull(batch, "batch");
    State s = open();
    List<StoreBatch.Op> ops = batch.ops();
    check(s, ops);
    for (StoreBatch.Op op : ops) {
      s.apply(op);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private State open() {
    if (closed) {
      throw new IllegalStateException("this InMemoryIndexStore is closed");
    }
    return state;
  }

  private static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
  }

  /** Runs the batch's sequence rule over the ops without changing anything. */
  private static void check(State s, List<StoreBatch.Op> ops) {
    long last = s.lastSequence;
    Map<RelativePath, Optional<FileRecord>> changed = new HashMap<>();
    for (StoreBatch.Op op : ops) {
      if (op instanceof StoreBatch.PutLocal put) {
        FileRecord record = put.entry().record();
        Optional<FileRecord> current = changed.getOrDefault(record.path(),
            Optional.ofNullable(s.local.get(record.path())).map(LocalEntry::record));
        if (record.sequence() > last) {
          last = record.sequence();
        } else if (!current.equals(Optional.of(record))) {
          throw new IllegalArgumentException(sequenceRuleBroken(record, current, last));
        }
        changed.put(record.path(), Optional.of(record));
      } else if (op instanceof StoreBatch.RemoveLocal remove) {
        changed.put(remove.path(), Optional.empty());
      }
    }
  }

  static String sequenceRuleBroken(FileRecord record, Optional<FileRecord> current, long last) {
    return "PutLocal of '" + record.path() + "' with sequence " + record.sequence()
        + ": a new record needs a sequence above the last one (" + last + "), and only the record "
        + "already stored at that path may be re-put under its own sequence ("
        + current.map(r -> "stored now: sequence " + r.sequence()).orElse("nothing stored there") + ")";
  }

  /** The maps; only touched under the owning store's lock. */
  private static final class State {

    final TreeMap<RelativePath, LocalEntry> local = new TreeMap<>();
    final TreeMap<Long, RelativePath> bySequence = new TreeMap<>();
    final Map<DeviceId, TreeMap<RelativePath, FileRecord>> remote = new HashMap<>();
    final Map<DeviceId, IndexPosition> positions = new HashMap<>();
    final Map<Sha256, TreeMap<RelativePath, BlockLocation>> blocks = new HashMap<>();
    final Map<String, byte[]> metadata = new HashMap<>();
    final Map<RelativePath, VersionVector> expired = new HashMap<>();
    final java.util.TreeSet<RelativePath> downloadFolders = new java.util.TreeSet<>();
    long lastSequence;

    void apply(StoreBatch.Op op) {
      if (op instanceof StoreBatch.PutLocal put) {
        putLocal(put.entry());
      } else if (op instanceof StoreBatch.RemoveLocal remove) {
        removeLocal(remove.path());
      } else if (op instanceof StoreBatch.PutRemote put) {
        remote.computeIfAbsent(put.peer(), k -> new TreeMap<>()).put(put.record().path(), put.record());
      } else if (op instanceof StoreBatch.ClearRemote clear) {
        remote.remove(clear.peer());
        positions.remove(clear.peer());
      } else if (op instanceof StoreBatch.SetPosition set) {
        positions.put(set.peer(), set.position());
      } else if (op instanceof StoreBatch.PutMetadata put) {
        if (put.value() == null) {
          metadata.remove(put.key());
        } else {
          metadata.put(put.key(), put.value().clone());
        }
      } else if (op instanceof StoreBatch.PutExpired put) {
        expired.put(put.path(), put.version());
      } else if (op instanceof StoreBatch.PutDownloadFolder put) {
        if (put.made()) {
          downloadFolders.add(put.path());
        } else {
          downloadFolders.remove(put.path());
        }
      } else {
        throw new IllegalArgumentException("unknown store operation " + op);
      }
    }

    private void putLocal(LocalEntry entry) {
      FileRecord record = entry.record();
      removeLocal(record.path());
      local.put(record.path(), entry);
      bySequence.put(record.sequence(), record.path());
      for (BlockInfo b : record.blocks()) {
        blocks.computeIfAbsent(b.hash(), k -> new TreeMap<>())
            .putIfAbsent(record.path(), new BlockLocation(record.path(), b.offset(), b.length()));
      }
      lastSequence = Math.max(lastSequence, record.sequence());
    }

    private void removeLocal(RelativePath path) {
      LocalEntry old = local.remove(path);
      if (old == null) {
        return;
      }
      bySequence.remove(old.record().sequence());
      for (BlockInfo b : old.record().blocks()) {
        TreeMap<RelativePath, BlockLocation> files = blocks.get(b.hash());
        if (files != null) {
          files.remove(path);
          if (files.isEmpty()) {
            blocks.remove(b.hash());
          }
        }
      }
    }
  }
}
