package dev.jsync.cli.hostile;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.internal.HashedContent;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.TransportHandler;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NettyTransport;
import dev.jsync.net.internal.RawFrames;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.v1.Envelope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A malicious peer that knows the secret: a real {@link NettyTransport} (so it authenticates
 * through the project's own handshake, whatever that is) dialing the victim over loopback,
 * driven by a test. It announces records with any path at all, put on the wire as raw frames
 * ({@link RawFrames}), serves whatever bytes the victim asks of it, requests blocks of its
 * choosing, and records everything the victim sends it, so a test can assert that no byte of a
 * file outside the victim's folder ever arrived. It reconnects by itself after the victim drops
 * it.
 */
final class ScriptedAttacker implements TransportHandler, AutoCloseable {

  /** A record to announce: what to say about {@code wirePath}, whatever its validity. */
  record Announced(String wirePath, FileRecord placeholder) {}

  private final NettyTransport transport;
  private final BlockingQueue<PeerLink> links = new LinkedBlockingQueue<>();
  private final Map<PeerLink, String> disconnects = new ConcurrentHashMap<>();
  private final Map<Sha256, byte[]> serves = new ConcurrentHashMap<>();
  /** Every record and every byte of block data the victim sent, for leak checks. */
  final List<FileRecord> recordsReceived = new CopyOnWriteArrayList<>();
  final List<byte[]> bytesReceived = new CopyOnWriteArrayList<>();
  private volatile long epoch = 1000;
  /** The epoch of the index {@link #stream} sends, the same over every link. */
  private static final long STREAM_EPOCH = 1;
  private final Map<PeerLink, Hello> hellos = new ConcurrentHashMap<>();
  private final Map<PeerLink, Long> streamed = new ConcurrentHashMap<>();

  ScriptedAttacker(Path stateDir, InetSocketAddress victim) throws IOException {
    transport = new NettyTransport(NetConfig.of(stateDir, LoopbackNode.SECRET)
        .withListen(new InetSocketAddress("127.0.0.1", 0))
        .withPeers(List.of(victim))
        .withLimits(LoopbackNode.FAST));
    transport.start(this);
  }

  DeviceId id() {
    return transport.deviceId();
  }

  /** The next authenticated link to the victim (a reconnect after a drop counts). */
  PeerLink nextLink() throws InterruptedException {
    PeerLink l = links.poll(20, TimeUnit.SECONDS);
    if (l == null) {
      throw new AssertionError("the victim did not accept the attacker within 20 s");
    }
    return l;
  }

  /** Why {@code link} was closed, or null if it is still up. */
  String closedBecause(PeerLink link) {
    return disconnects.get(link);
  }

  /**
   * Sends one index update, as a fresh index (a new epoch, from sequence 0), holding
   * {@code records} with their paths replaced by the wire paths on the wire only.
   */
  void announce(PeerLink link, List<Announced> records) {
    long e = ++epoch;
    List<FileRecord> placeholders = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      placeholders.add(records.get(i).placeholder().withSequence(i + 1));
    }
    send(link, new IndexUpdate(e, 0, records.size(), placeholders), records);
  }

  /**
   * Sends {@code records} as the next batch of one index that goes on forever: it continues
   * where the last batch on this link ended, or, on a new link, where the victim's hello says it
   * stands in that index, so that a victim that keeps the batches takes each one.
   */
  void stream(PeerLink link, List<Announced> records) {
    long from = streamed.computeIfAbsent(link, l -> {
      IndexPosition seen = hellos.get(l).seenOfYou();
      return seen.epoch() == STREAM_EPOCH ? seen.sequence() : 0;
    });
    List<FileRecord> placeholders = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      placeholders.add(records.get(i).placeholder().withSequence(from + i + 1));
    }
    streamed.put(link, from + records.size());
    send(link, new IndexUpdate(STREAM_EPOCH, from, from + records.size(), placeholders), records);
  }

  private static void send(PeerLink link, IndexUpdate update, List<Announced> records) {
    byte[] legit = MessageCodec.encode(new IndexMessage(update));
    try {
      Envelope.Builder env = Envelope.parseFrom(legit).toBuilder();
      for (int i = 0; i < records.size(); i++) {
        env.getIndexUpdateBuilder().getRecordsBuilder(i).setPath(records.get(i).wirePath());
      }
      RawFrames.send(link, env.build().toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }

  /** A file whose content is {@code data}, served to whoever asks for its block. */
  Announced file(String wirePath, byte[] data) {
    return file(wirePath, data, epoch);
  }

  /** A file whose content is {@code data}, as the attacker's {@code edit}th version of it. */
  Announced file(String wirePath, byte[] data, long edit) {
    BlockInfo block = new BlockInfo(0, data.length, Sha256.of(data));
    serves.put(block.hash(), data);
    return new Announced(wirePath, FileRecord.file(RelativePath.of("placeholder"), data.length, 1_000_000_000L,
        false, List.of(block), HashedContent.contentHashOf(List.of(block)),
        VersionVector.empty().increment(id(), edit), id()));
  }

  /**
   * A file of {@code size} bytes with a block list that fits it: {@code size / 128 KiB} block
   * hashes, which the attacker does not serve.
   */
  Announced hugeFile(String wirePath, long size) {
    List<BlockInfo> blocks = new ArrayList<>();
    Sha256 hash = Sha256.of(new byte[] {1});
    for (long offset = 0; offset < size; offset += BlockInfo.SIZE) {
      blocks.add(new BlockInfo(offset, (int) Math.min(BlockInfo.SIZE, size - offset), hash));
    }
    return new Announced(wirePath, FileRecord.file(RelativePath.of("placeholder"), size, 1_000_000_000L,
        false, blocks, HashedContent.contentHashOf(blocks), version(), id()));
  }

  /**
   * Sends one record whose size and block list disagree: {@code wireSize} bytes on the wire with
   * the one block of a small file, as a fresh index.
   */
  void announceWithSize(PeerLink link, String wirePath, long wireSize) {
    Announced small = file(wirePath, "small".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long e = ++epoch;
    byte[] legit = MessageCodec.encode(new IndexMessage(new IndexUpdate(e, 0, 1,
        List.of(small.placeholder().withSequence(1)))));
    try {
      Envelope.Builder env = Envelope.parseFrom(legit).toBuilder();
      env.getIndexUpdateBuilder().getRecordsBuilder(0).setPath(wirePath).setSize(wireSize);
      RawFrames.send(link, env.build().toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }

  /** A symbolic link to {@code target}. */
  Announced link(String wirePath, String target) {
    return new Announced(wirePath, FileRecord.symlink(RelativePath.of("placeholder"), target, 1_000_000_000L,
        version(), id()));
  }

  private VersionVector version() {
    return VersionVector.empty().increment(id(), epoch);
  }

  /** Requests a block of the victim's and waits for the answer, which is recorded. */
  BlockReply request(PeerLink link, String path, long offset, int length, Sha256 hash) throws Exception {
    BlockReply reply = link.requestBlock(new BlockRequest(RelativePath.of(path), offset, length, hash))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    if (reply instanceof BlockReply.Data d) {
      bytesReceived.add(d.bytes());
    }
    return reply;
  }

  /** Waits up to {@code timeout} for {@code link} to be closed; the reason, or null. */
  String awaitClosed(PeerLink link, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (closedBecause(link) == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return closedBecause(link);
  }

  @Override
  public Hello helloFor(DeviceId peer) {
    return new Hello("attacker", epoch, 0, IndexPosition.NONE);
  }

  @Override
  public void connected(PeerLink link, Hello theirs) {
    hellos.put(link, theirs);
    links.add(link);
  }

  @Override
  public void disconnected(PeerLink link, String reason) {
    disconnects.put(link, reason);
  }

  @Override
  public java.util.concurrent.CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
    recordsReceived.addAll(update.records());
    update.inline().forEach(b -> bytesReceived.add(b.data()));
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  @Override
  public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
    // It announces only what a test tells it to.
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    byte[] data = serves.get(request.hash());
    reply.accept(data != null ? BlockReply.data(data)
        : BlockReply.failure(dev.jsync.core.transport.BlockError.NO_SUCH_FILE, "not mine"));
  }

  @Override
  public void close() {
    transport.close();
  }
}
