package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.protocol.v1.BlockErrorCode;
import dev.jsync.protocol.v1.BlockResponse;
import dev.jsync.protocol.v1.Envelope;
import dev.jsync.protocol.v1.FileInfo;
import dev.jsync.protocol.v1.FileType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Examples of each message and of each kind of bad input the decoder must refuse. */
class MessageCodecTest {

  private static final DeviceId A = DeviceId.fromName("a");
  private static final DeviceId B = DeviceId.fromName("b");
  private static final Sha256 H = Sha256.of(new byte[] {1});

  private static FileRecord file(long size) {
    return FileRecord.file(RelativePath.of("notes/a.md"), size, 1_700_000_000_000_000_000L, true,
        ProtocolArbitraries.blocksFor(size, H), H, VersionVector.empty().increment(A).increment(B), A).withSequence(7);
  }

  private static FileInfo validInfo() {
    try {
      return Envelope.parseFrom(MessageCodec.encode(new IndexMessage(new IndexUpdate(1, 0, 7,
          List.of(file(300_000)))))).getIndexUpdate().getRecords(0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Message decodeInfo(UnaryOperator<FileInfo.Builder> change) throws ProtocolException {
    FileInfo info = change.apply(validInfo().toBuilder()).build();
    Envelope e = Envelope.newBuilder().setIndexUpdate(dev.jsync.protocol.v1.IndexUpdate.newBuilder()
        .setLastSequence(7).addRecords(info)).build();
    return MessageCodec.decode(e.toByteArray());
  }

  private static void assertRejected(Envelope e, String messagePart) {
    assertThatThrownBy(() -> MessageCodec.decode(e.toByteArray()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
  }

  @Test
  void eachKindRoundTrips() throws ProtocolException {
    List<Message> all = List.of(
        new AuthChallenge(Protocol.VERSION, new byte[32], new byte[Protocol.PAKE_ROUND1_BYTES]),
        AuthChallenge.ofOtherVersion(1),
        AuthProof.round2(new byte[Protocol.PAKE_ROUND2_BYTES]),
        AuthProof.confirmation(new byte[Protocol.CONFIRMATION_BYTES]),
        new HelloMessage(A, 1, new Hello("laptop", 42, 9, new IndexPosition(-5, 3))),
        new IndexMessage(new IndexUpdate(1, 0, 7, List.of(file(300_000), file(0),
            FileRecord.directory(RelativePath.of("d"), 5, VersionVector.empty().increment(B), B),
            FileRecord.symlink(RelativePath.of("l"), "../x", 5, VersionVector.empty(), B),
            file(10).toTombstone(VersionVector.empty().increment(A, 9), A, 77)))),
        new BlockRequestMessage(-1, new BlockRequest(RelativePath.of("a/b"), 1L << 40, BlockInfo.SIZE, H)),
        new BlockResponseMessage(3, BlockReply.failure(BlockError.BUSY, "later")),
        new IndexRequestMessage(-7, 11_415),
        Ping.INSTANCE,
        new Close(CloseReason.DUPLICATE_CONNECTION, "bye"));
    for (Message m : all) {
      assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
    }
    BlockResponseMessage data = new BlockResponseMessage(4, BlockReply.data(new byte[] {9, 8}));
    BlockResponseMessage back = (BlockResponseMessage) MessageCodec.decode(MessageCodec.encode(data));
    assertThat(((BlockReply.Data) back.reply()).bytes()).containsExactly(9, 8);
  }

  @ParameterizedTest
  @ValueSource(ints = {4095, 4096, 4097, BlockInfo.SIZE})
  void blocksOfEverySizeDecodeFromHeapAndDirectPayloadsIntoArraysOfTheirOwn(int size) throws ProtocolException {
    byte[] block = new byte[size];
    new java.util.Random(size).nextBytes(block);
    byte[] encoded = MessageCodec.encode(new BlockResponseMessage(5, BlockReply.data(block.clone())));
    for (boolean direct : new boolean[] {false, true}) {
      java.nio.ByteBuffer payload = (direct ? java.nio.ByteBuffer.allocateDirect(encoded.length + 4)
          : java.nio.ByteBuffer.allocate(encoded.length + 4)).position(2);
      payload.put(encoded).flip().position(2);
      BlockResponseMessage back = (BlockResponseMessage) MessageCodec.decode(payload);
      assertThat(payload.position()).isEqualTo(2);
      byte[] got = ((BlockReply.Data) back.reply()).bytes();
      assertThat(got).isEqualTo(block);
      // Nothing of the payload is shared: a transport reuses it as soon as decode returns.
      payload.clear();
      for (int i = 0; i < payload.capacity(); i++) {
        payload.put(i, (byte) 0x55);
      }
      assertThat(got).as(direct ? "direct" : "heap").isEqualTo(block);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "/etc/passwd", "a/../../b", "C:x", "\\\\server\\share", ".jsync/db",
      "a//b", "a/", "", "nul\0byte", "x/.jsync-tmp-1", "."})
  void hostilePathsAreRejectedEverywhere(String path) {
    assertThatThrownBy(() -> decodeInfo(b -> b.setPath(path))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("path");
    Envelope request = Envelope.newBuilder().setBlockRequest(dev.jsync.protocol.v1.BlockRequest.newBuilder()
        .setPath(path).setLength(10).setHash(ByteString.copyFrom(H.toBytes()))).build();
    assertRejected(request, "path");
  }

  @Test
  void badRecordFieldsAreRejected() {
    assertThatThrownBy(() -> decodeInfo(b -> b.setContentHash(ByteString.copyFrom(new byte[31]))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("content hash");
    assertThatThrownBy(() -> decodeInfo(b -> b.setSize(300_000_000)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("blocks");
    assertThatThrownBy(() -> decodeInfo(b -> b.setBlockHashes(b.getBlockHashes().substring(1))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("multiple of 32");
    assertThatThrownBy(() -> decodeInfo(b -> b.setType(FileType.FILE_TYPE_DIRECTORY)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("only a live file");
    assertThatThrownBy(() -> decodeInfo(b -> b.setType(FileType.FILE_TYPE_UNSPECIFIED)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> decodeInfo(b -> b.setTypeValue(99)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> decodeInfo(b -> b.setSize(-1)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("size");
    assertThatThrownBy(() -> decodeInfo(b -> b.setSequence(-1)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("sequence");
    assertThatThrownBy(() -> decodeInfo(b -> b.setModifiedBy(ByteString.copyFrom(new byte[33]))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("modified by");
    assertThatThrownBy(() -> decodeInfo(b -> b.setDeletedAtNanos(5)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("tombstone");
    assertThatThrownBy(() -> decodeInfo(b -> b.setSymlinkTarget("x")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("symlink");
  }

  @Test
  void badVersionVectorsAreRejected() {
    ByteString a1 = entry(A, 1);
    ByteString b1 = entry(B, 1);
    ByteString sorted = A.compareTo(B) < 0 ? a1.concat(b1) : b1.concat(a1);
    ByteString unsorted = A.compareTo(B) < 0 ? b1.concat(a1) : a1.concat(b1);
    assertThatThrownBy(() -> decodeInfo(b -> b.setVersion(unsorted)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("sorted");
    assertThatThrownBy(() -> decodeInfo(b -> b.setVersion(a1.concat(a1))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("duplicates");
    assertThatThrownBy(() -> decodeInfo(b -> b.setVersion(entry(A, 0))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("counters");
    assertThatThrownBy(() -> decodeInfo(b -> b.setVersion(entry(A, -1))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("counters");
    assertThatThrownBy(() -> decodeInfo(b -> b.setVersion(sorted.substring(1))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("multiple of 40");
  }

  /**
   * A merge's record carries what it merged (field 14, {@code merged_from}); a record without
   * the field, as every sender before it sends, reads as no merge; the field is checked like a
   * version and against the record's own version.
   */
  @Test
  void aMergeCarriesWhatItMergedAndARecordWithoutItIsNoMerge() throws ProtocolException {
    VersionVector sides = VersionVector.empty().increment(A).increment(B);
    FileRecord merge = FileRecord.file(RelativePath.of("notes/a.md"), 10, 5, false, ProtocolArbitraries.blocksFor(10, H),
        H, sides.increment(A), A).asMergeOf(sides).withSequence(7);
    IndexMessage index = new IndexMessage(new IndexUpdate(1, 0, 7, List.of(merge, file(10))));
    IndexMessage back = (IndexMessage) MessageCodec.decode(MessageCodec.encode(index));
    assertThat(back).isEqualTo(index);
    assertThat(back.update().records().get(0).mergedFrom()).isEqualTo(sides);
    assertThat(back.update().records().get(1).isMerge()).isFalse();

    assertThat(validInfo().getMergedFrom().isEmpty()).as("no merge, nothing on the wire").isTrue();
    FileRecord plain = ((IndexMessage) decodeInfo(b -> b)).update().records().get(0);
    assertThat(plain.isMerge()).isFalse();
    FileRecord oneSide = ((IndexMessage) decodeInfo(b -> b.setMergedFrom(entry(A, 1)))).update().records().get(0);
    assertThat(oneSide.mergedFrom()).isEqualTo(VersionVector.empty().increment(A));

    DeviceId c = DeviceId.fromName("c");
    ByteString three = entries(VersionVector.empty().increment(A).increment(B).increment(c));
    assertThatThrownBy(() -> decodeInfo(b -> b.setMergedFrom(three)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("merged from more than 2");
    ByteString equal = entries(VersionVector.empty().increment(A).increment(B));
    assertThatThrownBy(() -> decodeInfo(b -> b.setMergedFrom(equal)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("follows what it merged");
    assertThatThrownBy(() -> decodeInfo(b -> b.setMergedFrom(entry(A, 0))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("merged from counters");
    assertThatThrownBy(() -> decodeInfo(b -> b.setType(FileType.FILE_TYPE_SYMLINK).setSize(0).clearBlockHashes()
        .setSymlinkTarget("x").setMergedFrom(entry(A, 1))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("only a live file is a merge");
  }

  /** {@code v} as the wire carries a vector: its entries in device order. */
  private static ByteString entries(VersionVector v) {
    ByteString out = ByteString.EMPTY;
    for (var e : v.counters().entrySet()) {
      out = out.concat(entry(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static ByteString entry(DeviceId d, long counter) {
    return ByteString.copyFrom(d.toBytes()).concat(ByteString.copyFrom(
        java.nio.ByteBuffer.allocate(8).putLong(counter).array()));
  }

  @Test
  void aVersion1ChallengeIsReadForItsVersionOnly() throws ProtocolException {
    // What a version-1 node sends: its version and a 32-byte nonce, no J-PAKE round.
    Envelope v1 = Envelope.newBuilder().setAuthChallenge(dev.jsync.protocol.v1.AuthChallenge.newBuilder()
        .setProtocolVersion(1).setNonce(ByteString.copyFrom(new byte[32]))).build();
    assertThat(MessageCodec.decode(v1.toByteArray())).isEqualTo(AuthChallenge.ofOtherVersion(1));
  }

  @Test
  void badSessionAndBlockFieldsAreRejected() {
    assertRejected(Envelope.getDefaultInstance(), "empty or unknown");
    assertRejected(Envelope.newBuilder().setAuthChallenge(dev.jsync.protocol.v1.AuthChallenge.newBuilder()
        .setProtocolVersion(Protocol.VERSION).setNonce(ByteString.copyFrom(new byte[31]))
        .setPakeRound1(ByteString.copyFrom(new byte[Protocol.PAKE_ROUND1_BYTES]))).build(), "nonce");
    assertRejected(Envelope.newBuilder().setAuthChallenge(dev.jsync.protocol.v1.AuthChallenge.newBuilder()
        .setProtocolVersion(Protocol.VERSION).setNonce(ByteString.copyFrom(new byte[32]))
        .setPakeRound1(ByteString.copyFrom(new byte[Protocol.PAKE_ROUND1_BYTES - 1]))).build(), "round 1");
    assertRejected(Envelope.newBuilder().setAuthProof(dev.jsync.protocol.v1.AuthProof.newBuilder()
        .setPakeRound2(ByteString.copyFrom(new byte[Protocol.PAKE_ROUND2_BYTES + 1]))).build(), "round 2");
    assertRejected(Envelope.newBuilder().setAuthProof(dev.jsync.protocol.v1.AuthProof.newBuilder()
        .setKeyConfirmation(ByteString.copyFrom(new byte[31]))).build(), "key confirmation");
    assertRejected(Envelope.newBuilder().setAuthChallenge(dev.jsync.protocol.v1.AuthChallenge.newBuilder()
        .setProtocolVersion(-1).setNonce(ByteString.copyFrom(new byte[32]))).build(), "protocol version");
    assertRejected(Envelope.newBuilder().setAuthProof(dev.jsync.protocol.v1.AuthProof.getDefaultInstance()).build(),
        "proof carries no step");
    dev.jsync.protocol.v1.Hello hello = dev.jsync.protocol.v1.Hello.newBuilder()
        .setDeviceId(ByteString.copyFrom(A.toBytes())).setDeviceName("x").setProtocolVersion(1).build();
    assertThat(catchDecode(Envelope.newBuilder().setHello(hello).build())).isNull();
    assertRejected(Envelope.newBuilder().setHello(hello.toBuilder().setDeviceName("")).build(), "device name");
    assertRejected(Envelope.newBuilder().setHello(hello.toBuilder().setDeviceName("a\nb")).build(), "control");
    assertRejected(Envelope.newBuilder().setHello(hello.toBuilder().setDeviceName("n".repeat(256))).build(),
        "device name");
    assertRejected(Envelope.newBuilder().setHello(hello.toBuilder().setLastSequence(-1)).build(), "sequence");
    assertRejected(Envelope.newBuilder().setHello(hello.toBuilder().setDeviceId(ByteString.EMPTY)).build(),
        "device id");
    assertRejected(Envelope.newBuilder().setIndexUpdate(dev.jsync.protocol.v1.IndexUpdate.newBuilder()
        .setPreviousSequence(5).setLastSequence(4)).build(), "sequence range");
    dev.jsync.protocol.v1.BlockRequest req = dev.jsync.protocol.v1.BlockRequest.newBuilder().setPath("a")
        .setLength(10).setHash(ByteString.copyFrom(H.toBytes())).build();
    assertThat(catchDecode(Envelope.newBuilder().setBlockRequest(req).build())).isNull();
    assertRejected(Envelope.newBuilder().setBlockRequest(req.toBuilder().setLength(0)).build(), "length");
    assertRejected(Envelope.newBuilder().setBlockRequest(req.toBuilder().setLength(BlockInfo.SIZE + 1)).build(),
        "length");
    assertRejected(Envelope.newBuilder().setBlockRequest(req.toBuilder().setOffset(-1)).build(), "offset");
    assertRejected(Envelope.newBuilder().setBlockRequest(req.toBuilder().setHash(ByteString.EMPTY)).build(), "hash");
    assertRejected(Envelope.newBuilder().setBlockResponse(BlockResponse.newBuilder().setRequestId(1)).build(),
        "neither");
    assertRejected(Envelope.newBuilder().setBlockResponse(BlockResponse.newBuilder()
        .setError(BlockErrorCode.BLOCK_ERROR_CODE_UNSPECIFIED)).build(), "error code");
    assertRejected(Envelope.newBuilder().setBlockResponse(BlockResponse.newBuilder()
        .setData(ByteString.copyFrom(new byte[BlockInfo.SIZE + 1]))).build(), "exceeds");
    assertRejected(Envelope.newBuilder().setClose(dev.jsync.protocol.v1.Close.getDefaultInstance()).build(),
        "close reason");
  }

  private static ProtocolException catchDecode(Envelope e) {
    try {
      MessageCodec.decode(e.toByteArray());
      return null;
    } catch (ProtocolException ex) {
      return ex;
    }
  }

  @Test
  void unknownFieldsAreIgnoredButUnknownMessagesAreNot() throws Exception {
    byte[] ping = MessageCodec.encode(Ping.INSTANCE);
    ByteArrayOutputStream withExtra = new ByteArrayOutputStream();
    withExtra.writeBytes(ping);
    withExtra.writeBytes(new byte[] {(byte) 0xf8, 0x01, 0x05}); // field 31, varint 5: unknown to v1
    assertThat(MessageCodec.decode(withExtra.toByteArray())).isEqualTo(Ping.INSTANCE);
    // A body this version does not know (field 30, an empty sub-message) is an unknown message.
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {(byte) 0xf2, 0x01, 0x00}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown");
  }

  @Test
  void tooManyRecordsAreRefusedBeforeParsing() throws IOException {
    // 10,001 records of 64 bytes (an unknown field each), far more as objects.
    byte[] record = new byte[66];
    record[0] = 0x22;
    record[1] = 64;
    record[2] = (byte) ((15 << 3) | 2);
    record[3] = 62;
    ByteArrayOutputStream update = new ByteArrayOutputStream();
    for (int i = 0; i <= Protocol.MAX_RECORDS_PER_UPDATE; i++) {
      update.writeBytes(record);
    }
    ByteArrayOutputStream envelope = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(envelope);
    out.writeByteArray(Envelope.INDEX_UPDATE_FIELD_NUMBER, update.toByteArray());
    out.flush();
    assertThatThrownBy(() -> MessageCodec.decode(envelope.toByteArray()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("more than " + Protocol.MAX_RECORDS_PER_UPDATE);
  }

  @Test
  void recordsOfLargeFilesFitAFrame() throws ProtocolException {
    // A 1 GiB file: 8192 block hashes, about 260 KiB on the wire.
    FileRecord big = file(1L << 30);
    byte[] encoded = MessageCodec.encode(new IndexMessage(new IndexUpdate(1, 0, 7, List.of(big))));
    assertThat(encoded.length).isBetween(8192 * 32, 8192 * 32 + 1024);
    IndexMessage back = (IndexMessage) MessageCodec.decode(encoded);
    assertThat(back.update().records()).containsExactly(big);
  }

  @Test
  void repeatedFieldsShorterThanAnyValidElementAreRefusedBeforeParsing() throws IOException {
    for (int field : new int[] {4, 5}) {
      ByteArrayOutputStream envelope = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(envelope);
      out.writeByteArray(Envelope.INDEX_UPDATE_FIELD_NUMBER, new byte[] {(byte) ((field << 3) | 2), 0x00});
      out.flush();
      assertThatThrownBy(() -> MessageCodec.decode(envelope.toByteArray()))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("shorter than any valid one");
    }
  }

  @Test
  void aFieldOccurringTwiceIsRefused() {
    // Two pings, and a ping then a close: a parser would build each and keep the last.
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {0x3a, 0x00, 0x3a, 0x00}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("more than once");
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {0x3a, 0x00, 0x42, 0x00}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("more than one body");
  }

  @Test
  void beforeAuthenticationOnlyTheHandshakesSmallMessagesAreDecoded() throws ProtocolException {
    AuthChallenge challenge = new AuthChallenge(Protocol.VERSION, new byte[Protocol.NONCE_BYTES],
        new byte[Protocol.PAKE_ROUND1_BYTES]);
    assertThat(MessageCodec.decodeHandshake(java.nio.ByteBuffer.wrap(MessageCodec.encode(challenge))))
        .isEqualTo(challenge);
    Close close = new Close(CloseReason.SHUTDOWN, "bye");
    assertThat(MessageCodec.decodeHandshake(java.nio.ByteBuffer.wrap(MessageCodec.encode(close)))).isEqualTo(close);
    assertThatThrownBy(() -> MessageCodec.decodeHandshake(java.nio.ByteBuffer.wrap(MessageCodec.encode(Ping.INSTANCE))))
        .isInstanceOf(ProtocolException.class).hasMessage("ping before authentication");
    // An unknown field is refused too, and so is anything longer than the handshake's limit.
    assertThatThrownBy(() -> MessageCodec.decodeHandshake(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xf2, 0x01, 0x00})))
        .isInstanceOf(ProtocolException.class).hasMessage("field 30 before authentication");
    byte[] longClose = MessageCodec.encode(new Close(CloseReason.SHUTDOWN, "x".repeat(600)));
    assertThatThrownBy(() -> MessageCodec.decodeHandshake(java.nio.ByteBuffer.wrap(longClose)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds " + Protocol.MAX_HANDSHAKE_FRAME_BYTES);
  }

  /** A file record whose version vector has {@code entries} devices. */
  private static FileRecord withVersionEntries(String path, int entries, long sequence) {
    java.util.Map<DeviceId, Long> counters = new java.util.HashMap<>();
    for (int i = 0; i < entries; i++) {
      byte[] id = new byte[DeviceId.LENGTH];
      id[0] = (byte) (i >> 8);
      id[1] = (byte) i;
      id[31] = 1;
      counters.put(DeviceId.of(id), 1L);
    }
    return FileRecord.file(RelativePath.of(path), 0, 1, false, List.of(), H, VersionVector.of(counters), A).withSequence(sequence);
  }

  @Test
  void versionVectorsAreBoundedPerRecordAndPerUpdateBeforeTheyAreBuilt() throws ProtocolException {
    int perRecord = Protocol.MAX_VERSION_ENTRIES_PER_RECORD;
    IndexMessage atLimit = new IndexMessage(new IndexUpdate(1, 0, 1, List.of(withVersionEntries("a", perRecord, 1))));
    assertThat(MessageCodec.decode(MessageCodec.encode(atLimit))).isEqualTo(atLimit);

    byte[] oneTooMany = MessageCodec.encode(new IndexMessage(new IndexUpdate(1, 0, 1,
        List.of(withVersionEntries("a", perRecord + 1, 1)))));
    assertThatThrownBy(() -> MessageCodec.decode(oneTooMany)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("more than " + perRecord);

    // Records each within the per-record bound, together over the per-update bound.
    int records = Protocol.MAX_VERSION_ENTRIES_PER_UPDATE / perRecord + 1;
    List<FileRecord> many = new java.util.ArrayList<>();
    for (int i = 0; i < records; i++) {
      many.add(withVersionEntries("f" + i, perRecord, i + 1));
    }
    byte[] tooManyInAll = MessageCodec.encode(new IndexMessage(new IndexUpdate(1, 0, records, many)));
    assertThatThrownBy(() -> MessageCodec.decode(tooManyInAll)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("version entries exceeds");
  }
}
