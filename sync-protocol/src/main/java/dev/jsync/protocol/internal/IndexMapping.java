package dev.jsync.protocol.internal;

import dev.jsync.core.FileRecord;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jsync.core.Sha256;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.FileInfo;
import java.util.ArrayList;
import java.util.List;

/** Index updates to and from the wire. Stateless. */
final class IndexMapping {

  private IndexMapping() {
  }

  static dev.jsync.protocol.v1.IndexUpdate toWire(IndexUpdate u, List<FileInfo> records) {
    dev.jsync.protocol.v1.IndexUpdate.Builder b = dev.jsync.protocol.v1.IndexUpdate.newBuilder()
        .setIndexEpoch(u.indexEpoch())
        .setPreviousSequence(u.previousSequence())
        .setLastSequence(u.lastSequence())
        .addAllRecords(records);
    for (InlineBlock block : u.inline()) {
      b.addInline(inlineToWire(block));
    }
    return b.build();
  }

  static dev.jsync.protocol.v1.InlineBlock inlineToWire(InlineBlock block) {
    return dev.jsync.protocol.v1.InlineBlock.newBuilder()
        .setHash(ByteString.copyFrom(block.hash().toBytes()))
        .setData(UnsafeByteOperations.unsafeWrap(block.data()))
        .build();
  }

  static dev.jsync.protocol.v1.IndexUpdate toWire(IndexMessage m) {
    List<FileInfo> records = new ArrayList<>(m.update().records().size());
    for (FileRecord r : m.update().records()) {
      records.add(RecordMapping.toWire(r));
    }
    return toWire(m.update(), records);
  }

  static IndexMessage fromWire(dev.jsync.protocol.v1.IndexUpdate w) throws ProtocolException {
    WireChecks.require(w.getRecordsCount() <= Protocol.MAX_RECORDS_PER_UPDATE,
        "index update with " + w.getRecordsCount() + " records exceeds " + Protocol.MAX_RECORDS_PER_UPDATE);
    long previous = WireChecks.counter(w.getPreviousSequence(), "index previous sequence");
    long last = WireChecks.counter(w.getLastSequence(), "index last sequence");
    WireChecks.require(previous <= last, "index sequence range (" + previous + ", " + last + "] is empty backwards");
    WireChecks.require(w.getInlineCount() <= Protocol.MAX_INLINE_BLOCKS_PER_UPDATE,
        "index update with " + w.getInlineCount() + " inline blocks exceeds " + Protocol.MAX_INLINE_BLOCKS_PER_UPDATE);
    long versionEntries = 0;
    for (FileInfo f : w.getRecordsList()) {
      versionEntries += f.getVersion().size() / VectorCoding.ENTRY_BYTES;
    }
    WireChecks.require(versionEntries <= Protocol.MAX_VERSION_ENTRIES_PER_UPDATE,
        "index update with " + versionEntries + " version entries exceeds " + Protocol.MAX_VERSION_ENTRIES_PER_UPDATE);
    List<FileRecord> records = new ArrayList<>(w.getRecordsCount());
    for (FileInfo f : w.getRecordsList()) {
      records.add(RecordMapping.fromWire(f));
    }
    List<InlineBlock> inline = new ArrayList<>(w.getInlineCount());
    for (dev.jsync.protocol.v1.InlineBlock b : w.getInlineList()) {
      WireChecks.require(b.getHash().size() == Sha256.LENGTH, "inline block hash of " + b.getHash().size() + " bytes");
      WireChecks.require(b.getData().size() <= Protocol.MAX_BLOCK_BYTES,
          "inline block of " + b.getData().size() + " bytes exceeds " + Protocol.MAX_BLOCK_BYTES);
      inline.add(new InlineBlock(Sha256.fromBytes(b.getHash().toByteArray()), b.getData().toByteArray()));
    }
    return new IndexMessage(new IndexUpdate(w.getIndexEpoch(), previous, last, records, inline));
  }
}
