package dev.jsync.protocol.internal;

import com.google.protobuf.ByteString;
import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.FileInfo;
import dev.jsync.protocol.v1.FileType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FileRecord} to and from the wire's {@code FileInfo}. Blocks travel as their hashes
 * only: offsets and lengths follow from the size and {@link BlockInfo#SIZE}, so a record cannot
 * describe blocks that do not tile its file. Stateless.
 */
final class RecordMapping {

  /** Longest symlink target accepted, in UTF-8 bytes (the same bound as a path). */
  static final int MAX_TARGET_BYTES = RelativePath.MAX_PATH_BYTES;

  /** Entries of {@code merged_from}: a merge merges two versions (one entry when one author made both). */
  static final int MAX_MERGED_FROM_ENTRIES = 2;

  private RecordMapping() {
  }

  static FileInfo toWire(FileRecord r) {
    byte[] hashes = new byte[r.blocks().size() * Sha256.LENGTH];
    int at = 0;
    for (BlockInfo b : r.blocks()) {
      System.arraycopy(b.hash().toBytes(), 0, hashes, at, Sha256.LENGTH);
      at += Sha256.LENGTH;
    }
    return FileInfo.newBuilder()
        .setPath(r.path().toString())
        .setType(switch (r.kind()) {
          case FILE -> FileType.FILE_TYPE_FILE;
          case DIRECTORY -> FileType.FILE_TYPE_DIRECTORY;
          case SYMLINK -> FileType.FILE_TYPE_SYMLINK;
        })
        .setSize(r.size())
        .setModifiedNanos(r.modifiedNanos())
        .setExecutable(r.executable())
        .setBlockHashes(ByteString.copyFrom(hashes))
        .setContentHash(ByteString.copyFrom(r.contentHash().toBytes()))
        .setSymlinkTarget(r.symlinkTarget())
        .setVersion(VectorCoding.encode(r.version()))
        .setModifiedBy(ByteString.copyFrom(r.modifiedBy().toBytes()))
        .setDeleted(r.deleted())
        .setDeletedAtNanos(r.deletedAtNanos())
        .setSequence(r.sequence())
        .setMergedFrom(VectorCoding.encode(r.mergedFrom()))
        .build();
  }

  static FileRecord fromWire(FileInfo w) throws ProtocolException {
    RelativePath path = WireChecks.path(w.getPath(), "record path");
    String where = "record " + path + ": ";
    FileKind kind = switch (WireChecks.known(w.getType(), FileType.FILE_TYPE_UNSPECIFIED, where + "type")) {
      case FILE_TYPE_FILE -> FileKind.FILE;
      case FILE_TYPE_DIRECTORY -> FileKind.DIRECTORY;
      case FILE_TYPE_SYMLINK -> FileKind.SYMLINK;
      default -> throw new ProtocolException(where + "unknown type " + w.getType());
    };
    long size = WireChecks.counter(w.getSize(), where + "size");
    List<BlockInfo> blocks = blocks(w.getBlockHashes(), size, kind == FileKind.FILE && !w.getDeleted(), where);
    WireChecks.require(w.getSymlinkTarget().getBytes(StandardCharsets.UTF_8).length <= MAX_TARGET_BYTES,
        where + "symlink target longer than " + MAX_TARGET_BYTES + " bytes");
    WireChecks.require(w.getMergedFrom().size() <= MAX_MERGED_FROM_ENTRIES * VectorCoding.ENTRY_BYTES,
        where + "merged from more than " + MAX_MERGED_FROM_ENTRIES + " versions");
    try {
      return new FileRecord(path, kind, size, w.getModifiedNanos(), w.getExecutable(), blocks,
          WireChecks.sha256(w.getContentHash(), where + "content hash"), w.getSymlinkTarget(),
          VectorCoding.decode(w.getVersion(), where + "version"),
          WireChecks.deviceId(w.getModifiedBy(), where + "modified by"), w.getDeleted(), w.getDeletedAtNanos(),
          WireChecks.counter(w.getSequence(), where + "sequence"),
          VectorCoding.decode(w.getMergedFrom(), where + "merged from"));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(where + e.getMessage(), e);
    }
  }

  private static List<BlockInfo> blocks(ByteString hashes, long size, boolean liveFile, String where)
      throws ProtocolException {
    WireChecks.require(hashes.size() % Sha256.LENGTH == 0,
        where + "block hashes must be a multiple of 32 bytes, got " + hashes.size());
    int count = hashes.size() / Sha256.LENGTH;
    long expected = liveFile ? BlockInfo.count(size) : 0;
    WireChecks.require(count == expected, where + (liveFile ? size + " bytes need " + expected + " blocks"
        : "only a live file has blocks") + ", got " + count);
    WireChecks.require(liveFile || size == 0, where + "only a live file has a size");
    List<BlockInfo> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long offset = (long) i * BlockInfo.SIZE;
      int length = (int) Math.min(BlockInfo.SIZE, size - offset);
      byte[] hash = new byte[Sha256.LENGTH];
      hashes.copyTo(hash, i * Sha256.LENGTH, 0, Sha256.LENGTH);
      out.add(new BlockInfo(offset, length, Sha256.fromBytes(hash)));
    }
    return out;
  }
}
