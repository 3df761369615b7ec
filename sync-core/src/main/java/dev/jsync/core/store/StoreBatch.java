package dev.jsync.core.store;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.VersionVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One logical change to the index, applied by {@link IndexStore#apply} all or nothing. The
 * engine builds a batch per change (a scanned file, a pulled file with its conflict copy, a
 * received index update) so that a crash never leaves the store half-way through one.
 *
 * <p>Operations apply in order. Not thread-safe: build on one thread, then hand it over.
 */
public final class StoreBatch {

  /** An empty batch; add operations with the methods below. */
  public StoreBatch() {}

  /** One operation; implementers of {@link IndexStore} switch over these. */
  public sealed interface Op {}

  /**
   * Puts a local entry, replacing any entry at its path. The store also moves the record's
   * sequence-index entry (a record is listed once, under its latest sequence) and updates the
   * block index: the old version's blocks no longer point here, the new version's do.
   *
   * <p>The caller assigns the sequence number, and it must be greater than
   * {@link IndexStore#lastSequence()} (counting earlier {@code PutLocal}s of the same batch), so
   * that a peer reading by sequence never misses a change. One exception: re-putting the record
   * already stored at the path, equal and with the same sequence number, updates only its
   * {@link DiskStat}. Any other sequence number (0, or one not above the last) makes
   * {@link IndexStore#apply} throw {@link IllegalArgumentException} and apply nothing.
   */
  public record PutLocal(LocalEntry entry) implements Op {}

  /**
   * Removes a path from the local index entirely (a forgotten tombstone), with its sequence-index
   * and block-index entries. Does nothing if the path is absent. {@link IndexStore#lastSequence()}
   * does not go down.
   */
  public record RemoveLocal(RelativePath path) implements Op {}

  /** Stores a peer's record, replacing the previous one of that peer at that path. */
  public record PutRemote(DeviceId peer, FileRecord record) implements Op {}

  /** Forgets everything known of a peer's index (it reset its state): records and position. */
  public record ClearRemote(DeviceId peer) implements Op {}

  /** Records how far the peer's index has been read. */
  public record SetPosition(DeviceId peer, IndexPosition position) implements Op {}

  /** Sets a small metadata value ({@code value == null} removes it). */
  public record PutMetadata(String key, byte[] value) implements Op {}

  /**
   * Remembers that the tombstone at {@code path}, of {@code version}, expired and was forgotten
   * (see {@link IndexStore#expired}); replaces what was remembered for the path before. Usually
   * beside the {@link RemoveLocal} of that tombstone, in the same batch.
   */
  public record PutExpired(RelativePath path, VersionVector version) implements Op {}

  /**
   * Records ({@code made = true}) or forgets ({@code false}) that the folder at {@code path} was
   * made on disk only to hold a download and has no record of its own here (see
   * {@link IndexStore#downloadFolders}). Either does nothing if the set already says so.
   */
  public record PutDownloadFolder(RelativePath path, boolean made) implements Op {}

  private final List<Op> ops = new ArrayList<>();

  public StoreBatch putLocal(LocalEntry entry) {
    ops.add(new PutLocal(Objects.requireNonNull(entry)));
    return this;
  }

  public StoreBatch removeLocal(RelativePath path) {
    ops.add(new RemoveLocal(Objects.requireNonNull(path)));
    return this;
  }

  public StoreBatch putRemote(DeviceId peer, FileRecord record) {
    ops.add(new PutRemote(Objects.requireNonNull(peer), Objects.requireNonNull(record)));
    return this;
  }

  public StoreBatch clearRemote(DeviceId peer) {
    ops.add(new ClearRemote(Objects.requireNonNull(peer)));
    return this;
  }

  public StoreBatch setPosition(DeviceId peer, IndexPosition position) {
    ops.add(new SetPosition(Objects.requireNonNull(peer), Objects.requireNonNull(position)));
    return this;
  }

  public StoreBatch putMetadata(String key, byte[] value) {
    ops.add(new PutMetadata(Objects.requireNonNull(key), value == null ? null : value.clone()));
    return this;
  }

  public StoreBatch putExpired(RelativePath path, VersionVector version) {
    ops.add(new PutExpired(Objects.requireNonNull(path), Objects.requireNonNull(version)));
    return this;
  }

  public StoreBatch putDownloadFolder(RelativePath path, boolean made) {
    ops.add(new PutDownloadFolder(Objects.requireNonNull(path), made));
    return this;
  }

  /** The operations, in order. */
  public List<Op> ops() {
    return List.copyOf(ops);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public int size() {
    return ops.size();
  }
}
