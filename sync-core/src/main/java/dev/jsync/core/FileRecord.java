package dev.jsync.core;

import java.util.List;
import java.util.Objects;

/**
 * One version of one path, as a device knows it: the unit of the index that peers exchange.
 *
 * <p>For a {@link FileKind#FILE} the content is described by its {@link #blocks()} (fixed
 * {@link BlockInfo#SIZE}, each with a SHA-256) and the SHA-256 of the whole content; for a
 * {@link FileKind#SYMLINK} by its target. A deleted path is a tombstone: a record with a version
 * like any other, so that a delete can win or lose against edits and is never confused with
 * "never heard of it".
 *
 * @param path where it is
 * @param kind file, folder or symlink (of the last live version, for a tombstone)
 * @param size content length in bytes (0 for folders, symlinks and tombstones)
 * @param modifiedNanos modification time, nanoseconds since the epoch, as the author saw it
 * @param executable the owner-executable bit (files only)
 * @param blocks the blocks of a file's content, in order; empty otherwise
 * @param contentHash SHA-256 of the content (a file's bytes, a symlink's target in UTF-8);
 *     {@link Sha256#EMPTY} for folders and tombstones
 * @param symlinkTarget the link target for a symlink, empty otherwise
 * @param version the version vector of this version
 * @param modifiedBy the device that made this version
 * @param deleted whether this is a tombstone
 * @param deletedAtNanos when it was deleted (nanoseconds since the epoch), 0 unless deleted
 * @param sequence the holder's local sequence number for this record (0 if not yet assigned)
 * @param mergedFrom for a version a device made by merging two concurrent versions of a note
 *     ({@link MergeRule#merged}): the changes that made the two contents it merged (each side's
 *     author at the counter that made it), which its {@code version} follows; empty for every
 *     other version. A merge holds no edit of its own, so a history that holds both those changes
 *     has nothing to learn from it ({@link Reconciler})
 */
public record FileRecord(
    RelativePath path,
    FileKind kind,
    long size,
    long modifiedNanos,
    boolean executable,
    List<BlockInfo> blocks,
    Sha256 contentHash,
    String symlinkTarget,
    VersionVector version,
    DeviceId modifiedBy,
    boolean deleted,
    long deletedAtNanos,
    long sequence,
    VersionVector mergedFrom) {

  public FileRecord {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(symlinkTarget, "symlinkTarget");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(modifiedBy, "modifiedBy");
    Objects.requireNonNull(mergedFrom, "mergedFrom");
    blocks = List.copyOf(blocks);
    if (size < 0 || sequence < 0) {
      throw new IllegalArgumentException(path + ": size and sequence must be >= 0");
    }
    if (deleted || kind != FileKind.FILE) {
      if (size != 0 || !blocks.isEmpty()) {
        throw new IllegalArgumentException(path + ": only a live file has size and blocks");
      }
    } else {
      checkBlocks(path, size, blocks);
    }
    if (kind != FileKind.SYMLINK && !symlinkTarget.isEmpty()) {
      throw new IllegalArgumentException(path + ": only a symlink has a target");
    }
    if (!deleted && deletedAtNanos != 0) {
      throw new IllegalArgumentException(path + ": only a tombstone has a deletion time");
    }
    if (!mergedFrom.isEmpty() && (deleted || kind != FileKind.FILE || mergedFrom.size() > 2
        || version.compare(mergedFrom) != Causality.AFTER)) {
      throw new IllegalArgumentException(
          path + ": only a live file is a merge, of two versions, and its version follows what it merged");
    }
  }

  /** A version that is no merge: {@code mergedFrom} empty. */
  public FileRecord(RelativePath path, FileKind kind, long size, long modifiedNanos, boolean executable,
      List<BlockInfo> blocks, Sha256 contentHash, String symlinkTarget, VersionVector version, DeviceId modifiedBy,
      boolean deleted, long deletedAtNanos, long sequence) {
    this(path, kind, size, modifiedNanos, executable, blocks, contentHash, symlinkTarget, version, modifiedBy,
        deleted, deletedAtNanos, sequence, VersionVector.empty());
  }

  private static void checkBlocks(RelativePath path, long size, List<BlockInfo> blocks) {
    if (blocks.size() != BlockInfo.count(size)) {
      throw new IllegalArgumentException(
          path + ": " + size + " bytes need " + BlockInfo.count(size) + " blocks, got " + blocks.size());
    }
    long offset = 0;
    for (BlockInfo b : blocks) {
      long expected = Math.min(BlockInfo.SIZE, size - offset);
      if (b.offset() != offset || b.length() != expected) {
        throw new IllegalArgumentException(path + ": block at " + b.offset() + " does not tile the file");
      }
      offset += b.length();
    }
  }

  /** A live file. */
  public static FileRecord file(RelativePath path, long size, long modifiedNanos, boolean executable,
      List<BlockInfo> blocks, Sha256 contentHash, VersionVector version, DeviceId modifiedBy) {
    return new FileRecord(path, FileKind.FILE, size, modifiedNanos, executable, blocks, contentHash, "",
        version, modifiedBy, false, 0, 0);
  }

  /** A live folder. */
  public static FileRecord directory(RelativePath path, long modifiedNanos, VersionVector version,
      DeviceId modifiedBy) {
    return new FileRecord(path, FileKind.DIRECTORY, 0, modifiedNanos, false, List.of(), Sha256.EMPTY, "",
        version, modifiedBy, false, 0, 0);
  }

  /** A live symlink pointing at {@code target} (recorded, never followed). */
  public static FileRecord symlink(RelativePath path, String target, long modifiedNanos,
      VersionVector version, DeviceId modifiedBy) {
    return new FileRecord(path, FileKind.SYMLINK, 0, modifiedNanos, false, List.of(),
        Sha256.of(target.getBytes(java.nio.charset.StandardCharsets.UTF_8)), target, version, modifiedBy,
        false, 0, 0);
  }

  /** The tombstone that replaces this record: deleted by {@code by} at {@code atNanos}. */
  public FileRecord toTombstone(VersionVector newVersion, DeviceId by, long atNanos) {
    return new FileRecord(path, kind, 0, modifiedNanos, false, List.of(), Sha256.EMPTY, "", newVersion, by,
        true, atNanos, 0);
  }

  /** This record with another version vector (still a merge of what it merged, if it is one). */
  public FileRecord withVersion(VersionVector newVersion) {
    return new FileRecord(path, kind, size, modifiedNanos, executable, blocks, contentHash, symlinkTarget,
        newVersion, modifiedBy, deleted, deletedAtNanos, sequence, mergedFrom);
  }

  /** This record with another local sequence number. */
  public FileRecord withSequence(long newSequence) {
    return new FileRecord(path, kind, size, modifiedNanos, executable, blocks, contentHash, symlinkTarget,
        version, modifiedBy, deleted, deletedAtNanos, newSequence, mergedFrom);
  }

  /** This record at another path (a conflict copy, say), same content and metadata. */
  public FileRecord withPath(RelativePath newPath) {
    return new FileRecord(newPath, kind, size, modifiedNanos, executable, blocks, contentHash, symlinkTarget,
        version, modifiedBy, deleted, deletedAtNanos, sequence, mergedFrom);
  }

  /**
   * This live file as a merge of two versions made by the changes in {@code sides} (see
   * {@link #mergedFrom()}); its version must follow them.
   */
  public FileRecord asMergeOf(VersionVector sides) {
    return new FileRecord(path, kind, size, modifiedNanos, executable, blocks, contentHash, symlinkTarget,
        version, modifiedBy, deleted, deletedAtNanos, sequence, sides);
  }

  /** Returns {@code true} if a device made this version by merging two others ({@link #mergedFrom()}). */
  public boolean isMerge() {
    return !mergedFrom.isEmpty();
  }

  /**
   * Returns {@code true} if both describe the same content: both deleted, or both live with the
   * same kind and the same bytes (files), the same target (symlinks), or both folders.
   * Metadata (times, executable bit) and versions are not compared.
   */
  public boolean sameContent(FileRecord other) {
    if (deleted || other.deleted) {
      return deleted && other.deleted;
    }
    if (kind != other.kind) {
      return false;
    }
    return switch (kind) {
      case DIRECTORY -> true;
      case SYMLINK -> symlinkTarget.equals(other.symlinkTarget);
      case FILE -> size == other.size && contentHash.equals(other.contentHash);
    };
  }

  /** Returns {@code true} if the content and the synced metadata (time, executable bit) match. */
  public boolean sameContentAndMetadata(FileRecord other) {
    if (!sameContent(other)) {
      return false;
    }
    if (deleted) {
      return true;
    }
    return executable == other.executable && (kind == FileKind.DIRECTORY || modifiedNanos == other.modifiedNanos);
  }

  /**
   * Returns {@code true} if both are the same version as its holders record it: equal in every
   * field but the holder's sequence number.
   */
  public boolean sameVersionAs(FileRecord other) {
    return withSequence(0).equals(other.withSequence(0));
  }

  /** Returns {@code true} if this is a live regular file. */
  public boolean isLiveFile() {
    return !deleted && kind == FileKind.FILE;
  }

  @Override
  public String toString() {
    return "FileRecord[" + path + (deleted ? " deleted" : " " + kind + " " + size + "B") + " v" + version
        + (isMerge() ? " merging v" + mergedFrom : "") + " by " + modifiedBy.shortId() + " seq " + sequence + "]";
  }
}
