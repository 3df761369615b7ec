package dev.jsync.protocol.internal;

import dev.jsync.core.FileRecord;
import dev.jsync.core.transport.IndexUpdate;
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
    return dev.jsync.protocol.v1.IndexUpdate.newBuilder()
        .setIndexEpoch(u.indexEpoch())
        .setPreviousSequence(u.previousSequence())
        .setLastSequence(u.lastSequence())
        .addAllRecords(records)
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
    List<FileRecord> records = new ArrayList<>(w.getRecordsCount());
    for (FileInfo f : w.getRecordsList()) {
      records.add(RecordMapping.fromWire(f));
    }
    return new IndexMessage(new IndexUpdate(w.getIndexEpoch(), previous, last, records));
  }
}
