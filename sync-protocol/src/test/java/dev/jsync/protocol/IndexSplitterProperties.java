package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.FileRecord;
import dev.jsync.core.Sha256;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.InlineBlock;
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

  /**
   * Inline block bytes travel in the batch of the first record listing them, each once; bytes
   * no record lists are left out.
   */
  @Property(tries = 200)
  void inlineBlocksGoWithTheirFirstRecord(@ForAll("updates") IndexUpdate plain,
      @ForAll("data") List<byte[]> contents) {
    // Give some live files inline bytes under their first block's hash, plus one stray block.
    List<InlineBlock> inline = new ArrayList<>();
    int i = 0;
    for (FileRecord r : plain.records()) {
      if (r.isLiveFile() && !r.blocks().isEmpty() && i < contents.size()) {
        inline.add(new InlineBlock(r.blocks().get(0).hash(), contents.get(i++)));
      }
    }
    inline.add(new InlineBlock(Sha256.of(new byte[] {42, 42}), new byte[] {42, 42}));
    IndexUpdate update = new IndexUpdate(plain.indexEpoch(), plain.previousSequence(), plain.lastSequence(),
        plain.records(), inline);
    java.util.Set<Sha256> placed = new java.util.HashSet<>();
    for (IndexUpdate b : IndexSplitter.split(update, MAX_FRAME)) {
      assertThat(MessageCodec.encode(new IndexMessage(b)).length).isLessThanOrEqualTo(MAX_FRAME);
      for (InlineBlock block : b.inline()) {
        assertThat(placed.add(block.hash())).as("each block once").isTrue();
        FileRecord first = update.records().stream()
            .filter(r -> r.isLiveFile() && r.blocks().stream().anyMatch(x -> x.hash().equals(block.hash())))
            .findFirst().orElseThrow();
        assertThat(b.records()).as("with the first record listing it").contains(first);
      }
    }
    java.util.Set<Sha256> listed = new java.util.HashSet<>();
    update.records().stream().filter(FileRecord::isLiveFile).forEach(r -> r.blocks().forEach(x -> listed.add(x.hash())));
    java.util.Set<Sha256> expected = new java.util.HashSet<>();
    inline.forEach(b -> {
      if (listed.contains(b.hash())) {
        expected.add(b.hash());
      }
    });
    assertThat(placed).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<byte[]>> data() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000).list().ofMaxSize(40);
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
