package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * What decoding one frame costs in heap, at the real 16 MiB frame limit. Each try builds a frame
 * of up to 16 MiB from one small piece repeated as often as fits (the way an attacker multiplies
 * objects: empty inline blocks, empty or minimal records, records with huge block or version
 * lists, an envelope body switched back and forth, a field repeated), optionally damaged, and
 * decodes it on this thread while the JVM counts the bytes this thread allocates. Whatever the
 * frame, decoding may allocate at most {@link #BYTES_PER_BYTE} bytes per payload byte plus
 * {@link #FIXED_BYTES}: the whole of what decoding creates, live or garbage, so the heap the
 * decoded message retains (and what the parser holds at its peak) is bounded by the same figure.
 * Before every repeated field was counted before parsing, a 16 MiB frame of empty inline blocks
 * allocated 48 bytes per byte (800 MB) and failed this.
 *
 * <p>Allocation accounting ({@code com.sun.management.ThreadMXBean}) counts every heap byte a
 * thread allocates, deterministically for a given code path (escape analysis can only lower it).
 */
class DecodeCostProperties {

  /**
   * Bytes a decode may allocate per byte of payload. A valid 16 MiB record of block hashes costs
   * about 7; version entries cost about 15, and at most 65,536 of them (2.5 MiB) are valid in
   * one update; 16 MiB of empty inline blocks cost 48 before repeated fields were counted up
   * front.
   */
  static final long BYTES_PER_BYTE = 16;

  /**
   * Bytes a decode may allocate whatever the payload: parser set-up, and the validation of up to
   * 10,000 records and 10,000 inline blocks (checking a path, building its version vector: about
   * 3 KiB of short-lived objects per record).
   */
  static final long FIXED_BYTES = 64L << 20;

  private static final int MAX = Protocol.DEFAULT_MAX_FRAME_BYTES;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Property(tries = 12, shrinking = ShrinkingMode.OFF) // shrinking 16 MiB frames takes minutes
  void noFrameDecodesIntoMuchMoreHeapThanItsSize(@ForAll Piece piece,
      @ForAll("sizes") int size, @ForAll long seed, @ForAll @IntRange(max = 3) int damage) {
    assertBoundedCost(frame(piece, size, seed, damage));
  }

  @Test
  void everyPieceAtTheFrameLimitDecodesWithinTheBound() {
    for (Piece piece : Piece.values()) {
      if (piece == Piece.RANDOM_MESSAGE) {
        continue; // generated: only inside the property
      }
      byte[] payload = frame(piece, MAX, piece.ordinal(), 0);
      Message m = assertBoundedCost(payload);
      if (piece == Piece.BLOCK_LIST) {
        assertThat(m).as("%s is a valid frame", piece).isInstanceOf(IndexMessage.class);
      }
      if (piece == Piece.VERSION_LIST) {
        assertThat(m).as("a record of %s version entries is refused", MAX / 40).isNull();
      }
    }
  }

  @Test
  void updatesAtTheirCountBoundsDecodeWithinTheBound() {
    byte[] records = indexUpdate(repeat(field(4, minimalRecord()), Protocol.MAX_RECORDS_PER_UPDATE,
        Integer.MAX_VALUE));
    byte[] inline = indexUpdate(repeat(field(5, field(1, new byte[32])), Protocol.MAX_INLINE_BLOCKS_PER_UPDATE,
        Integer.MAX_VALUE));
    int perRecord = Protocol.MAX_VERSION_ENTRIES_PER_RECORD;
    byte[] versions = indexUpdate(repeat(field(4, concat(minimalRecord(), field(9, versionEntries(perRecord)))),
        Protocol.MAX_VERSION_ENTRIES_PER_UPDATE / perRecord, Integer.MAX_VALUE));
    assertThat(assertBoundedCost(records)).isInstanceOf(IndexMessage.class);
    assertThat(assertBoundedCost(inline)).isInstanceOf(IndexMessage.class);
    assertThat(assertBoundedCost(versions)).isInstanceOf(IndexMessage.class);
  }

  /** Decodes {@code payload} from a heap and a direct buffer; returns the message or null if refused. */
  private static Message assertBoundedCost(byte[] payload) {
    decodeOrNull(ByteBuffer.wrap(payload)); // once unmeasured: loading classes allocates too
    ByteBuffer direct = ByteBuffer.allocateDirect(payload.length).put(payload).flip();
    Message result = null;
    for (ByteBuffer in : List.of(ByteBuffer.wrap(payload), direct)) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      result = decodeOrNull(in);
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(allocated).as("heap allocated decoding a %s-byte payload (%s)", payload.length,
          in.isDirect() ? "direct" : "heap").isLessThanOrEqualTo(BYTES_PER_BYTE * payload.length + FIXED_BYTES);
    }
    return result;
  }

  private static Message decodeOrNull(ByteBuffer in) {
    try {
      return MessageCodec.decode(in);
    } catch (ProtocolException refused) {
      return null; // refusing is fine; what counts is what was allocated on the way
    }
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(MAX)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1024, MAX)));
  }

  /** The pieces an attacker repeats to fill a frame. */
  enum Piece {
    EMPTY_INLINE, HASH_ONLY_INLINE, EMPTY_RECORD, MINIMAL_RECORD, BLOCK_LIST, VERSION_LIST, SWITCHED_BODY,
    REPEATED_PATH, NESTED_GROUPS, RANDOM_MESSAGE
  }

  /** A payload of at most {@code size} bytes: {@code piece} as often as fits, then damaged {@code damage} times. */
  static byte[] frame(Piece piece, int size, long seed, int damage) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] payload = switch (piece) {
      case EMPTY_INLINE -> indexUpdate(repeat(field(5, new byte[0]), Integer.MAX_VALUE, size - 16));
      case HASH_ONLY_INLINE -> indexUpdate(repeat(field(5, field(1, new byte[32])), Integer.MAX_VALUE, size - 16));
      case EMPTY_RECORD -> indexUpdate(repeat(field(4, new byte[0]), Integer.MAX_VALUE, size - 16));
      case MINIMAL_RECORD -> indexUpdate(repeat(field(4, minimalRecord()), Integer.MAX_VALUE, size - 16));
      case BLOCK_LIST -> indexUpdate(field(4, fileWithBlocks((size - 200) / Sha256.LENGTH)));
      case VERSION_LIST -> indexUpdate(field(4, concat(minimalRecord(),
          field(9, versionEntries((size - 300) / 40)))));
      case SWITCHED_BODY -> repeat(concat(field(7, new byte[0]), field(8, new byte[0])), Integer.MAX_VALUE, size);
      case REPEATED_PATH -> indexUpdate(field(4, repeat(field(1, new byte[] {'a'}), Integer.MAX_VALUE, size - 200)));
      case NESTED_GROUPS -> repeat(new byte[] {(byte) ((15 << 3) | 3)}, Integer.MAX_VALUE, size); // unknown field 15, start group
      case RANDOM_MESSAGE -> MessageCodec.encode(ProtocolArbitraries.messages().generator(100)
          .next(new java.util.Random(seed)).value());
    };
    for (int i = 0; i < damage; i++) {
      payload = Mutations.mutate(payload, r.nextLong());
    }
    return payload.length > MAX ? java.util.Arrays.copyOf(payload, MAX) : payload;
  }

  /** The encoding of a live file with {@code blocks} blocks (hashes all equal: size is what counts). */
  private static byte[] fileWithBlocks(int blocks) {
    long size = (long) blocks * BlockInfo.SIZE;
    Sha256 h = Sha256.of(new byte[] {1});
    List<BlockInfo> list = new java.util.ArrayList<>(blocks);
    for (int i = 0; i < blocks; i++) {
      list.add(new BlockInfo((long) i * BlockInfo.SIZE, BlockInfo.SIZE, h));
    }
    FileRecord f = FileRecord.file(RelativePath.of("big"), size, 0, false, list, h,
        VersionVector.of(java.util.Map.of(DeviceId.fromName("a"), 1L)), DeviceId.fromName("a"));
    return unwrapRecord(f);
  }

  private static byte[] minimalRecord() {
    Sha256 h = Sha256.of(new byte[0]);
    FileRecord f = FileRecord.file(RelativePath.of("a"), 0, 0, false, List.of(), h, VersionVector.of(java.util.Map.of()),
        DeviceId.fromName("a"));
    return unwrapRecord(f);
  }

  /** The FileInfo bytes of {@code f}, taken out of an encoded one-record update. */
  private static byte[] unwrapRecord(FileRecord f) {
    byte[] envelope = MessageCodec.encode(new IndexMessage(new dev.jsync.core.transport.IndexUpdate(0, 0, 0, List.of(f))));
    try {
      var update = dev.jsync.protocol.v1.Envelope.parseFrom(envelope).getIndexUpdate();
      return update.getRecords(0).toByteArray();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] versionEntries(int n) {
    ByteBuffer b = ByteBuffer.allocate(n * 40);
    for (int i = 0; i < n; i++) {
      byte[] id = new byte[32];
      id[0] = (byte) (i >>> 24);
      id[1] = (byte) (i >>> 16);
      id[2] = (byte) (i >>> 8);
      id[3] = (byte) i;
      b.put(id).putLong(1);
    }
    return b.array();
  }

  private static byte[] indexUpdate(byte[] body) {
    return field(4, body);
  }

  /** A length-delimited field. */
  static byte[] field(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 8);
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    try {
      c.writeByteArray(number, value);
      c.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code piece} repeated {@code count} times, or as often as fits in {@code size} bytes. */
  static byte[] repeat(byte[] piece, int count, int size) {
    int n = Math.max(1, Math.min(count, size / piece.length));
    byte[] out = new byte[n * piece.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(piece, 0, out, i * piece.length, piece.length);
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
