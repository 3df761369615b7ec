package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.transport.IndexUpdate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Splitting keeps every record, in order, in frames that fit, with an unbroken sequence chain. */
class IndexSplitterProperties {

  private static final int MAX_FRAME = 8 * 1024;

  @Property(tries = 200)
  void batchesFitAndChain(@ForAll("updates") IndexUpdate update) throws ProtocolException {
    List<IndexUpdate> batches = IndexSplitter.split(update, MAX_FRAME);
    List<FileRecord> all = new ArrayList<>();
    long previous = update.previousSequence();
    for (IndexUpdate b : batches) {
      byte[] payload = MessageCodec.encode(new IndexMessage(b));
      assertThat(payload.length).isLessThanOrEqualTo(MAX_FRAME);
      assertThat(b.indexEpoch()).isEqualTo(update.indexEpoch());
      assertThat(b.previousSequence()).isEqualTo(previous);
      assertThat(b.lastSequence()).isBetween(previous, update.lastSequence());
      assertThat(((IndexMessage) MessageCodec.decode(payload)).update()).isEqualTo(b);
      previous = b.lastSequence();
      all.addAll(b.records());
    }
    assertThat(previous).isEqualTo(update.lastSequence());
    assertThat(all).isEqualTo(update.records());
  }

  @Provide
  Arbitrary<IndexUpdate> updates() {
    // Files of up to 40 blocks (about 1.3 KiB each on the wire), so 8 KiB frames need splitting.
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(0, 1000),
        ProtocolArbitraries.records().list().ofMaxSize(40), Arbitraries.longs().between(0, 100))
        .as((epoch, previous, records, extra) -> {
          List<FileRecord> sequenced = new ArrayList<>();
          long seq = previous;
          for (FileRecord r : records) {
            sequenced.add(r.withSequence(++seq));
          }
          return new IndexUpdate(epoch, previous, seq + extra, sequenced);
        });
  }
}
