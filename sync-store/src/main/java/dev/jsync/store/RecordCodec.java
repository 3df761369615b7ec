package dev.jsync.store;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.LocalSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encodes the values of the disk format, version 3 (layouts in {@code docs/store.md}; format 3
 * added the merge flag and what a merge merged, format 2 a column family). This is
 * the store's own format, separate from the wire format, so that either can change without the
 * other. A record's path is not in its value: it is in the key.
 *
 * <pre>
 * record (the value in remote; the start of a value in local)
 *   kind        u8      0 file, 1 directory, 2 symlink
 *   flags       u8      bit 0 executable, bit 1 deleted, bit 2 a merge (format 3); other bits 0
 *   size        varint
 *   modified    i64     nanoseconds since the epoch
 *   deletedAt   i64     only if deleted
 *   sequence    varint
 *   modifiedBy  32 bytes
 *   version     varint n, then n x (device 32 bytes, counter varint), devices ascending
 *   mergedFrom  only if bit 2: what the merge merged, laid out as version
 *   contentHash 32 bytes
 *   target      varint length, then UTF-8 (empty unless a symlink)
 *   blocks      varint n, then n x hash 32 bytes
 *
 * local value = record, then
 *   hasStat     u8      0 or 1
 *   stat        i64 size, i64 modifiedNanos, varint length + UTF-8 fileKey (only if hasStat)
 *
 * position value = i64 epoch, i64 sequence
 * block value    = i64 offset, i32 length
 * </pre>
 *
 * Blocks store only their hashes: offsets and lengths follow from the size, since every block
 * is {@link BlockInfo#SIZE} bytes but the last. The block size is therefore part of format 1.
 *
 * <p>Stateless and thread-safe; no I/O.
 */
final class RecordCodec {

  private static final int EXECUTABLE = 1;
  private static final int DELETED = 2;
  private static final int MERGE = 4;

  private RecordCodec() {}

  static byte[] encodeLocal(LocalEntry entry) {
    ByteWriter out = new ByteWriter(estimate(entry.record()) + 64);
    writeRecord(entry.record(), out);
    if (entry.stat().isPresent()) {
      DiskStat stat = entry.stat().get();
      out.writeByte(1).writeLong(stat.size()).writeLong(stat.modifiedNanos()).writeString(stat.fileKey());
    } else {
      out.writeByte(0);
    }
    return out.toByteArray();
  }

  static LocalEntry decodeLocal(RelativePath path, byte[] value) {
    ByteReader in = new ByteReader(value);
    FileRecord record = readRecord(path, in);
    Optional<DiskStat> stat = readStat(in);
    in.expectEnd();
    return new LocalEntry(record, stat);
  }

  /**
   * Decodes only what a {@link LocalSummary} holds of a local value, stepping over the version
   * vector, hashes and block list: the periodic full scan reads every entry this way.
   */
  static LocalSummary decodeLocalSummary(RelativePath path, byte[] value) {
    return decodeLocalSummary(path, value, value.length);
  }

  /** As {@link #decodeLocalSummary(RelativePath, byte[])}, from the first {@code length} bytes of a reused buffer. */
  static LocalSummary decodeLocalSummary(RelativePath path, byte[] value, int length) {
    ByteReader in = new ByteReader(value, 0, length);
    try {
      FileKind kind = kind(in.readByte());
      int flags = readFlags(in);
      boolean deleted = (flags & DELETED) != 0;
      in.readVarLong(); // size
      in.skip(deleted ? 16 : 8); // modified, deletedAt
      in.readVarLong(); // sequence
      in.skip(DeviceId.LENGTH); // modifiedBy
      skipVersion(in);
      if ((flags & MERGE) != 0) {
        skipVersion(in); // mergedFrom
      }
      in.skip(Sha256.LENGTH); // contentHash
      String target = in.readString();
      int blockCount = in.readCount(in.remaining() / Sha256.LENGTH);
      in.skip(blockCount * Sha256.LENGTH);
      Optional<DiskStat> stat = readStat(in);
      in.expectEnd();
      return new LocalSummary(path, kind, deleted, (flags & EXECUTABLE) != 0, target, stat);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("record of '" + path + "' does not hold together: " + e.getMessage(), e);
    }
  }

  private static void skipVersion(ByteReader in) {
    int devices = in.readCount(in.remaining() / (DeviceId.LENGTH + 1));
    for (int i = 0; i < devices; i++) {
      in.skip(DeviceId.LENGTH);
      in.readVarLong();
    }
  }

  private static int readFlags(ByteReader in) {
    int flags = in.readByte();
    if ((flags & ~(EXECUTABLE | DELETED | MERGE)) != 0) {
      throw new CorruptDataException("unknown flags 0x" + Integer.toHexString(flags));
    }
    return flags;
  }

  private static Optional<DiskStat> readStat(ByteReader in) {
    return switch (in.readByte()) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(new DiskStat(in.readLong(), in.readLong(), in.readString()));
      default -> throw new CorruptDataException("bad stat flag");
    };
  }

  static byte[] encodeRecord(FileRecord record) {
    ByteWriter out = new ByteWriter(estimate(record));
    writeRecord(record, out);
    return out.toByteArray();
  }

  static FileRecord decodeRecord(RelativePath path, byte[] value) {
    ByteReader in = new ByteReader(value);
    FileRecord record = readRecord(path, in);
    in.expectEnd();
    return record;
  }

  /** The value of an expired tombstone in {@code marks}: its version vector, as in a record. */
  static byte[] encodeVersion(VersionVector version) {
    ByteWriter out = new ByteWriter(4 + version.size() * 42);
    writeVersion(version, out);
    return out.toByteArray();
  }

  static VersionVector decodeVersion(byte[] value) {
    ByteReader in = new ByteReader(value);
    try {
      VersionVector version = readVersion(in);
      in.expectEnd();
      return version;
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("bad version vector: " + e.getMessage(), e);
    }
  }

  static byte[] encodePosition(IndexPosition position) {
    return new ByteWriter(16).writeLong(position.epoch()).writeLong(position.sequence()).toByteArray();
  }

  static IndexPosition decodePosition(byte[] value) {
    ByteReader in = new ByteReader(value);
    long epoch = in.readLong();
    long sequence = in.readLong();
    in.expectEnd();
    try {
      return new IndexPosition(epoch, sequence);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("bad position: " + e.getMessage(), e);
    }
  }

  static byte[] encodeBlock(BlockInfo block) {
    return new ByteWriter(12).writeLong(block.offset()).writeInt(block.length()).toByteArray();
  }

  /** The offset and length of a {@code block} value. */
  static long[] decodeBlock(byte[] value) {
    ByteReader in = new ByteReader(value);
    long offset = in.readLong();
    int length = in.readInt();
    in.expectEnd();
    return new long[] {offset, length};
  }

  private static int estimate(FileRecord record) {
    return 128 + (record.version().size() + record.mergedFrom().size()) * 42 + record.blocks().size() * 32 + record.symlinkTarget().length() * 3;
  }

  private static void writeRecord(FileRecord r, ByteWriter out) {
    out.writeByte(kindCode(r.kind()));
    out.writeByte((r.executable() ? EXECUTABLE : 0) | (r.deleted() ? DELETED : 0) | (r.isMerge() ? MERGE : 0));
    out.writeVarLong(r.size());
    out.writeLong(r.modifiedNanos());
    if (r.deleted()) {
      out.writeLong(r.deletedAtNanos());
    }
    out.writeVarLong(r.sequence());
    out.writeBytes(r.modifiedBy().toBytes());
    writeVersion(r.version(), out);
    if (r.isMerge()) {
      writeVersion(r.mergedFrom(), out);
    }
    out.writeBytes(r.contentHash().toBytes());
    out.writeString(r.symlinkTarget());
    out.writeVarLong(r.blocks().size());
    for (BlockInfo b : r.blocks()) {
      out.writeBytes(b.hash().toBytes());
    }
  }

  private static FileRecord readRecord(RelativePath path, ByteReader in) {
    try {
      FileKind kind = kind(in.readByte());
      int flags = readFlags(in);
      boolean deleted = (flags & DELETED) != 0;
      long size = in.readVarLong();
      long modified = in.readLong();
      long deletedAt = deleted ? in.readLong() : 0;
      long sequence = in.readVarLong();
      DeviceId modifiedBy = DeviceId.of(in.readBytes(DeviceId.LENGTH));
      VersionVector version = readVersion(in);
      VersionVector mergedFrom = (flags & MERGE) != 0 ? readVersion(in) : VersionVector.empty();
      Sha256 contentHash = Sha256.fromBytes(in.readBytes(Sha256.LENGTH));
      String target = in.readString();
      int blockCount = in.readCount(in.remaining() / Sha256.LENGTH);
      List<BlockInfo> blocks = new ArrayList<>(blockCount);
      for (int i = 0; i < blockCount; i++) {
        long offset = (long) i * BlockInfo.SIZE;
        int length = (int) Math.min(BlockInfo.SIZE, size - offset);
        blocks.add(new BlockInfo(offset, length, Sha256.fromBytes(in.readBytes(Sha256.LENGTH))));
      }
      return new FileRecord(path, kind, size, modified, (flags & EXECUTABLE) != 0, blocks, contentHash, target,
          version, modifiedBy, deleted, deletedAt, sequence, mergedFrom);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("record of '" + path + "' does not hold together: " + e.getMessage(), e);
    }
  }

  private static void writeVersion(VersionVector version, ByteWriter out) {
    Map<DeviceId, Long> counters = version.counters();
    out.writeVarLong(counters.size());
    counters.forEach((device, counter) -> out.writeBytes(device.toBytes()).writeVarLong(counter));
  }

  private static VersionVector readVersion(ByteReader in) {
    int devices = in.readCount(in.remaining() / (DeviceId.LENGTH + 1));
    TreeMap<DeviceId, Long> counters = new TreeMap<>();
    for (int i = 0; i < devices; i++) {
      counters.put(DeviceId.of(in.readBytes(DeviceId.LENGTH)), in.readVarLong());
    }
    return VersionVector.of(counters);
  }

  private static int kindCode(FileKind kind) {
    return switch (kind) {
      case FILE -> 0;
      case DIRECTORY -> 1;
      case SYMLINK -> 2;
    };
  }

  private static FileKind kind(int code) {
    return switch (code) {
      case 0 -> FileKind.FILE;
      case 1 -> FileKind.DIRECTORY;
      case 2 -> FileKind.SYMLINK;
      default -> throw new CorruptDataException("unknown file kind " + code);
    };
  }
}
