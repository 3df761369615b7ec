package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A file record as bytes, for what the engine keeps in the store's metadata (the index's own
 * records are the store's business). Blocks are kept as their hashes: offsets and lengths follow
 * from the size. What a merge merged is written apart ({@link #writeMergedFrom}), after the record,
 * so that records kept before it existed still read. Stateless.
 */
final class RecordBytes {

  private RecordBytes() {}

  static void write(DataOutputStream out, FileRecord r) throws IOException {
    out.writeUTF(r.path().toString());
    out.writeByte(r.kind().ordinal());
    out.writeLong(r.size());
    out.writeLong(r.modifiedNanos());
    out.writeBoolean(r.executable());
    out.writeInt(r.blocks().size());
    for (BlockInfo b : r.blocks()) {
      out.write(b.hash().toBytes());
    }
    out.write(r.contentHash().toBytes());
    out.writeUTF(r.symlinkTarget());
    writeCounters(out, r.version().counters());
    out.write(r.modifiedBy().toBytes());
    out.writeBoolean(r.deleted());
    out.writeLong(r.deletedAtNanos());
    out.writeLong(r.sequence());
  }

  static FileRecord read(DataInputStream in) throws IOException {
    RelativePath path = RelativePath.of(in.readUTF());
    FileKind kind = FileKind.values()[in.readByte()];
    long size = in.readLong();
    long modified = in.readLong();
    boolean executable = in.readBoolean();
    int blockCount = in.readInt();
    List<BlockInfo> blocks = new ArrayList<>(blockCount);
    for (int i = 0; i < blockCount; i++) {
      long offset = (long) i * BlockInfo.SIZE;
      blocks.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset), Sha256.fromBytes(bytes32(in))));
    }
    Sha256 contentHash = Sha256.fromBytes(bytes32(in));
    String target = in.readUTF();
    VersionVector version = readCounters(in);
    DeviceId by = DeviceId.of(bytes32(in));
    boolean deleted = in.readBoolean();
    long deletedAt = in.readLong();
    long sequence = in.readLong();
    return new FileRecord(path, kind, size, modified, executable, blocks, contentHash, target,
        version, by, deleted, deletedAt, sequence);
  }

  /** Writes what {@code r} merged ({@link FileRecord#mergedFrom()}), which {@link #write} leaves out. */
  static void writeMergedFrom(DataOutputStream out, FileRecord r) throws IOException {
    writeCounters(out, r.mergedFrom().counters());
  }

  /** {@code r} with what it merged, as {@link #writeMergedFrom} wrote it. */
  static FileRecord readMergedFrom(DataInputStream in, FileRecord r) throws IOException {
    VersionVector sides = readCounters(in);
    return sides.isEmpty() ? r : r.asMergeOf(sides);
  }

  private static void writeCounters(DataOutputStream out, Map<DeviceId, Long> counters) throws IOException {
    out.writeInt(counters.size());
    for (Map.Entry<DeviceId, Long> c : counters.entrySet()) {
      out.write(c.getKey().toBytes());
      out.writeLong(c.getValue());
    }
  }

  private static VersionVector readCounters(DataInputStream in) throws IOException {
    int counterCount = in.readInt();
    Map<DeviceId, Long> counters = new HashMap<>();
    for (int i = 0; i < counterCount; i++) {
      counters.put(DeviceId.of(bytes32(in)), in.readLong());
    }
    return VersionVector.of(counters);
  }

  private static byte[] bytes32(DataInputStream in) throws IOException {
    byte[] b = new byte[DeviceId.LENGTH];
    in.readFully(b);
    return b;
  }
}
