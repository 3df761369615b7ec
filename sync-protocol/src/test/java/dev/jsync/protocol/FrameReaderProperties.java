package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The frame reader under random chunking, random bytes and damaged streams. */
class FrameReaderProperties {

  private static final int MAX = 4096;

  @Property(tries = 300)
  void framesSurviveAnyChunking(@ForAll @Size(max = 8) List<@Size(max = 600) byte[]> payloads,
      @ForAll long seed) throws ProtocolException {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (byte[] p : payloads) {
      stream.writeBytes(FrameFormat.frame(p, MAX));
    }
    List<byte[]> got = feedInRandomChunks(new FrameReader(MAX), stream.toByteArray(), seed);
    assertThat(got).hasSameSizeAs(payloads);
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(got.get(i)).isEqualTo(payloads.get(i));
    }
  }

  @Property(tries = 1000)
  void randomBytesNeverEscapeOrOverAllocate(@ForAll @Size(max = 20_000) byte[] stream, @ForAll long seed) {
    FrameReader reader = new FrameReader(MAX);
    try {
      feedInRandomChunks(reader, stream, seed, reader);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 1000)
  void damagedStreamsNeverEscapeOrOverAllocate(@ForAll @Size(max = 6) List<@Size(max = 300) byte[]> payloads,
      @ForAll("seeds") long mutation, @ForAll long chunking) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    payloads.forEach(p -> stream.writeBytes(FrameFormat.frame(p, MAX)));
    byte[] damaged = Mutations.mutate(stream.toByteArray(), mutation);
    FrameReader reader = new FrameReader(MAX);
    try {
      feedInRandomChunks(reader, damaged, chunking, reader);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  private static List<byte[]> feedInRandomChunks(FrameReader reader, byte[] stream, long seed)
      throws ProtocolException {
    return feedInRandomChunks(reader, stream, seed, reader);
  }

  private static List<byte[]> feedInRandomChunks(FrameReader reader, byte[] stream, long seed, FrameReader watched)
      throws ProtocolException {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < stream.length) {
      int n = 1 + r.nextInt(Math.min(64, stream.length - at));
      for (byte[] p : reader.feed(stream, at, n)) {
        assertThat(p.length).isLessThanOrEqualTo(MAX);
        out.add(p);
      }
      assertThat(watched.reservedBytes()).isLessThanOrEqualTo(MAX);
      assertThat(watched.bufferedBytes()).isLessThanOrEqualTo(MAX);
      at += n;
    }
    return out;
  }
}
