package dev.jsync.protocol;

import dev.jsync.core.FileRecord;
import dev.jsync.core.Sha256;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
import dev.jsync.core.transport.RecordTooLargeException;
import dev.jsync.protocol.internal.EnvelopeMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts an {@link IndexUpdate} into batches that each fit one frame, keeping the sequence chain
 * intact so that the receiver's gap check still holds.
 *
 * <p>Batches aim at {@value #TARGET_BATCH_BYTES} bytes and {@link Protocol#MAX_RECORDS_PER_UPDATE}
 * records, so that block responses are never stuck behind one huge frame; a single record larger
 * than the target (a file of several GiB: 32 bytes per 128 KiB block) gets a batch of its own, up
 * to the frame limit. Batch {@code i} covers {@code (previous_i, last_i]} where {@code previous_0}
 * is the update's previous sequence, {@code previous_i = last_(i-1)}, the final {@code last} is the
 * update's, and the others are the sequence of their last record (clamped so that the chain never
 * goes backwards or past the end). A receiver that applies the batches in order ends where it would
 * have with the whole update; one that loses the link midway resumes from the last whole batch.
 *
 * <p>Stateless; thread-safe; no I/O.
 */
public final class IndexSplitter {

  /** The size batches aim at: 1 MiB. */
  public static final int TARGET_BATCH_BYTES = 1 << 20;

  /** Room for the envelope and update headers around the records (tags, lengths, three counters). */
  static final int OVERHEAD_BYTES = 64;

  private IndexSplitter() {
  }

  /**
   * The batches, in order; {@code update} itself if it fits.
   *
   * @param maxFrameBytes the largest frame payload the receiver accepts
   * @throws RecordTooLargeException if one record alone does not fit in a frame
   */
  public static List<IndexUpdate> split(IndexUpdate update, int maxFrameBytes) {
    int hardLimit = maxFrameBytes - OVERHEAD_BYTES;
    int target = Math.min(TARGET_BATCH_BYTES, hardLimit);
    // Inline blocks travel in the batch of the first record that lists them; one that no record
    // lists, or that would not fit a frame beside its record, is left out (it is only a
    // shortcut: the receiver requests what it lacks).
    Map<Sha256, InlineBlock> unplaced = new HashMap<>();
    for (InlineBlock b : update.inline()) {
      unplaced.putIfAbsent(b.hash(), b);
    }
    List<IndexUpdate> out = new ArrayList<>();
    List<FileRecord> batch = new ArrayList<>();
    List<InlineBlock> batchInline = new ArrayList<>();
    long batchBytes = 0;
    long previous = update.previousSequence();
    for (FileRecord r : update.records()) {
      int size = EnvelopeMapping.encodedRecordSize(r);
      if (size > hardLimit) {
        throw new RecordTooLargeException(r.path(), "its index record needs " + size
            + " bytes, more than a frame of " + maxFrameBytes + " bytes holds");
      }
      List<InlineBlock> its = List.of();
      if (!unplaced.isEmpty() && r.isLiveFile()) {
        its = new ArrayList<>();
        for (var block : r.blocks()) {
          InlineBlock b = unplaced.remove(block.hash());
          if (b != null && size + EnvelopeMapping.encodedInlineSize(b) <= hardLimit) {
            its.add(b);
            size += EnvelopeMapping.encodedInlineSize(b);
          }
        }
      }
      if (!batch.isEmpty() && (batchBytes + size > target || batch.size() == Protocol.MAX_RECORDS_PER_UPDATE)) {
        long last = clamp(batch.get(batch.size() - 1).sequence(), previous, update.lastSequence());
        out.add(new IndexUpdate(update.indexEpoch(), previous, last, batch, batchInline));
        previous = last;
        batch = new ArrayList<>();
        batchInline = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(r);
      batchInline.addAll(its);
      batchBytes += size;
    }
    if (out.isEmpty() && unplaced.isEmpty()) {
      return List.of(update);
    }
    out.add(new IndexUpdate(update.indexEpoch(), previous, update.lastSequence(), batch, batchInline));
    return out;
  }

  private static long clamp(long value, long low, long high) {
    return Math.max(low, Math.min(high, value));
  }
}
