package dev.jsync.protocol;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
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
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of protocol messages and the domain values inside them. */
final class ProtocolArbitraries {

  private ProtocolArbitraries() {
  }

  static Arbitrary<byte[]> bytes(int length) {
    return Arbitraries.bytes().array(byte[].class).ofSize(length);
  }

  static Arbitrary<Sha256> hashes() {
    return bytes(32).map(Sha256::fromBytes);
  }

  static Arbitrary<DeviceId> devices() {
    // A small pool, so that vectors share devices and ordering matters.
    return Arbitraries.of("a", "b", "c", "d", "e").map(DeviceId::fromName);
  }

  static Arbitrary<RelativePath> paths() {
    Arbitrary<String> segment = Arbitraries.strings()
        .withChars("abcxyz019-_ .é漢")
        .ofMinLength(1).ofMaxLength(12)
        .filter(s -> !s.equals(".") && !s.equals("..") && !s.equals(".jsync"));
    return segment.list().ofMinSize(1).ofMaxSize(4)
        .map(parts -> String.join("/", parts))
        .filter(RelativePath::isValid)
        .map(RelativePath::of);
  }

  static Arbitrary<VersionVector> versions() {
    return Arbitraries.maps(devices(), Arbitraries.longs().between(1, Long.MAX_VALUE)).ofMaxSize(4)
        .map(VersionVector::of);
  }

  static Arbitrary<FileRecord> records() {
    return Arbitraries.oneOf(files(), directories(), symlinks(), tombstones());
  }

  static Arbitrary<FileRecord> files() {
    Arbitrary<Long> sizes = Arbitraries.oneOf(
        Arbitraries.longs().between(0, 3L * BlockInfo.SIZE + 7),
        Arbitraries.longs().between(0, 40L * BlockInfo.SIZE));
    return Combinators.combine(paths(), sizes, Arbitraries.longs(), Arbitraries.of(true, false), hashes(),
        versions(), devices(), Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as((path, size, mtime, exec, content, version, by, seq) ->
            FileRecord.file(path, size, mtime, exec, blocksFor(size, content), content, version, by).withSequence(seq));
  }

  static List<BlockInfo> blocksFor(long size, Sha256 seed) {
    List<BlockInfo> blocks = new ArrayList<>();
    for (long offset = 0; offset < size; offset += BlockInfo.SIZE) {
      byte[] h = seed.toBytes();
      h[0] ^= (byte) (offset / BlockInfo.SIZE);
      blocks.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset), Sha256.fromBytes(h)));
    }
    return blocks;
  }

  static Arbitrary<FileRecord> directories() {
    return Combinators.combine(paths(), Arbitraries.longs(), versions(), devices())
        .as(FileRecord::directory);
  }

  static Arbitrary<FileRecord> symlinks() {
    return Combinators.combine(paths(), Arbitraries.strings().ofMaxLength(40), Arbitraries.longs(), versions(),
        devices()).as(FileRecord::symlink);
  }

  static Arbitrary<FileRecord> tombstones() {
    return Combinators.combine(records0(), versions(), devices(), Arbitraries.longs())
        .as((r, v, by, at) -> r.toTombstone(v, by, at == 0 ? 1 : at));
  }

  private static Arbitrary<FileRecord> records0() {
    return Arbitraries.oneOf(files(), directories(), symlinks());
  }

  static Arbitrary<IndexUpdate> indexUpdates() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(0, 1L << 40),
        Arbitraries.longs().between(0, 1000), records().list().ofMaxSize(8), inlineBlocks().list().ofMaxSize(3))
        .as((epoch, previous, extra, records, inline) -> new IndexUpdate(epoch, previous, previous + extra, records,
            inline));
  }

  /** Block bytes with their hash (right, or for a few, a hash of other bytes: the wire does not check). */
  static Arbitrary<dev.jsync.core.transport.InlineBlock> inlineBlocks() {
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(300), Arbitraries.integers().between(0, 9))
        .as((data, k) -> new dev.jsync.core.transport.InlineBlock(
            Sha256.of(k == 0 ? new byte[] {1} : data), data));
  }

  static Arbitrary<Hello> hellos() {
    return Combinators.combine(Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40),
        Arbitraries.longs(), Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs(),
        Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as((name, epoch, last, seenEpoch, seenSeq) -> new Hello(name, epoch, last, new IndexPosition(seenEpoch, seenSeq)));
  }

  static Arbitrary<BlockRequest> blockRequests() {
    return Combinators.combine(paths(), Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.integers().between(1, Protocol.MAX_BLOCK_BYTES), hashes()).as(BlockRequest::new);
  }

  static Arbitrary<BlockReply> blockReplies() {
    Arbitrary<BlockReply> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(BlockReply::data);
    Arbitrary<BlockReply> failure = Combinators.combine(Arbitraries.of(BlockError.class),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)).as(BlockReply::failure);
    return Arbitraries.oneOf(data, failure);
  }

  static Arbitrary<Message> messages() {
    return Arbitraries.oneOf(
        Combinators.combine(bytes(Protocol.NONCE_BYTES), bytes(Protocol.PAKE_ROUND1_BYTES))
            .as((n, r) -> new AuthChallenge(Protocol.VERSION, n, r)),
        Arbitraries.integers().between(1, Integer.MAX_VALUE).filter(v -> v != Protocol.VERSION)
            .map(AuthChallenge::ofOtherVersion),
        bytes(Protocol.PAKE_ROUND2_BYTES).map(AuthProof::round2),
        bytes(Protocol.CONFIRMATION_BYTES).map(AuthProof::confirmation),
        Combinators.combine(devices(), Arbitraries.integers().between(1, 5), hellos()).as(HelloMessage::new),
        indexUpdates().map(IndexMessage::new),
        Combinators.combine(Arbitraries.longs(), blockRequests()).as(BlockRequestMessage::new),
        Combinators.combine(Arbitraries.longs(), blockReplies()).as(BlockResponseMessage::new),
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs().greaterOrEqual(0)).as(IndexRequestMessage::new),
        Arbitraries.just(Ping.INSTANCE),
        Combinators.combine(Arbitraries.of(CloseReason.class), Arbitraries.strings().withCharRange(' ', '~')
            .ofMaxLength(30)).as(Close::new));
  }

  /** Equality for messages, comparing block data by content (core's {@code Data} holds an array). */
  static boolean same(Message a, Message b) {
    if (a instanceof BlockResponseMessage x && b instanceof BlockResponseMessage y
        && x.reply() instanceof BlockReply.Data dx && y.reply() instanceof BlockReply.Data dy) {
      return x.requestId() == y.requestId() && java.util.Arrays.equals(dx.bytes(), dy.bytes());
    }
    return a.equals(b);
  }
}
