package dev.jsync.core.transport;

import dev.jsync.core.FileRecord;
import java.util.List;
import java.util.Objects;

/**
 * A batch of the sender's index records: every record whose sequence number lies in
 * {@code (previousSequence, lastSequence]} that the receiver does not already have. Records
 * carry the sender's own sequence numbers. The receiver checks that {@code previousSequence}
 * equals the position it holds; a mismatch means a gap, and the connection is restarted.
 *
 * @param indexEpoch the sender's index epoch
 * @param previousSequence the sequence the receiver is known to have read up to
 * @param lastSequence the sequence the receiver has read up to once this batch is applied
 * @param records the records, in increasing sequence order
 * @param inline the bytes of some of the records' blocks (small files), so the receiver need
 *     not request them; any number, each at most one block, possibly none
 */
public record IndexUpdate(long indexEpoch, long previousSequence, long lastSequence, List<FileRecord> records,
    List<InlineBlock> inline) {

  /** An update without block bytes. */
  public IndexUpdate(long indexEpoch, long previousSequence, long lastSequence, List<FileRecord> records) {
    this(indexEpoch, previousSequence, lastSequence, records, List.of());
  }

  public IndexUpdate {
    Objects.requireNonNull(records, "records");
    records = List.copyOf(records);
    inline = List.copyOf(inline);
    if (previousSequence < 0 || lastSequence < previousSequence) {
      throw new IllegalArgumentException(
          "bad sequence range (" + previousSequence + ", " + lastSequence + "]");
    }
  }
}
