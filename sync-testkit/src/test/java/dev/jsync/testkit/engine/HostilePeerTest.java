package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.Transport;
import dev.jsync.core.transport.TransportHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that authenticated but sends crafted records and requests: nothing it sends makes the
 * node write outside its folder or hand out files it does not sync.
 */
class HostilePeerTest {

  private static final Duration T = Duration.ofSeconds(20);
  private static final DeviceId EVIL = DeviceId.fromName("evil");

  @TempDir
  Path dir;

  private RealFolderCluster cluster;
  private Transport evilTransport;
  private java.nio.file.FileSystem jimfs;

  @AfterEach
  void tearDown() throws Exception {
    if (evilTransport != null) {
      evilTransport.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (jimfs != null) {
      jimfs.close();
    }
  }

  /**
   * On a case-insensitive disk the state folder may well be called {@code .JSYNC} (made so by
   * hand, or by another tool): it is still the state folder, and the node neither indexes nor
   * announces what is in it (its device key, its index), nor a temp file named in another case.
   */
  @Test
  void aStateFolderOrTempFileInAnotherCaseIsNeitherIndexedNorAnnounced() throws Exception {
    jimfs = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.osX());
    cluster = new RealFolderCluster(Files.createDirectories(jimfs.getPath("/nodes")));
    var victim = cluster.add("victim");
    victim.write(".JSYNC/device.p12", "the device key");
    victim.write("sub/.Jsync-tmp-0123-4567", "half a download");
    victim.write("notes.md", "synced");
    victim.start();

    EvilPeer evil = linkEvil(new EvilPeer(0, List.of(), request -> NOTHING_HERE), victim);

    cluster.await(T, () -> evil.announced.stream().anyMatch(r -> r.path().toString().equals("notes.md")));
    assertThat(evil.announced).extracting(r -> r.path().toString())
        .noneMatch(p -> p.toLowerCase(java.util.Locale.ROOT).contains(".jsync"));
  }

  /**
   * A peer announces more records than the node holds of one peer: the batch that goes beyond
   * is refused whole and the link closed; the status says why while the peer is away, what was
   * taken before stays, and an honest peer still syncs.
   */
  @Test
  void aPeerBeyondTheRecordCapIsCutOffWithTheReasonInItsStatusAndOthersSyncOn() throws Exception {
    cluster = new RealFolderCluster(dir);
    var victim = cluster.add("victim", dev.jsync.core.SyncOptions.defaults().withWatch(false).withPeerIndexLimits(3, 1L << 30));
    var friend = cluster.add("friend");
    victim.start();
    friend.start();
    VersionVector v = VersionVector.empty().increment(EVIL);
    List<FileRecord> folders = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      folders.add(FileRecord.directory(RelativePath.of("d" + i), 1, v, EVIL).withSequence(i));
    }
    linkEvil(new EvilPeer(5, List.of(new IndexUpdate(42, 0, 3, folders.subList(0, 3)),
        new IndexUpdate(42, 3, 5, folders.subList(3, 5))), request -> NOTHING_HERE), victim);

    cluster.await(T, () -> victim.node.status().peers().stream().anyMatch(p -> p.peer().equals(EVIL)
        && !p.connected() && p.problemDetail().contains("more than the 3 this node holds of one peer")));
    long[] held = {0};
    victim.store.forEachRemote(EVIL, r -> held[0]++);
    assertThat(held[0]).as("the records before the refused batch, and no more").isEqualTo(3);
    cluster.await(T, () -> Files.isDirectory(victim.path("d3")));
    assertThat(victim.path("d4")).doesNotExist();
    assertThat(victim.events).anyMatch(e -> e instanceof SyncEvent.Error err && err.category() == SyncEvent.Error.Category.PEER
        && err.message().contains("more than the 3"));

    friend.write("after.md", "still syncing");
    friend.scan();
    cluster.link(victim, friend);
    cluster.await(T, () -> Files.exists(victim.path("after.md")));
    assertThat(victim.read("after.md")).isEqualTo("still syncing");
    assertThat(Files.isDirectory(victim.path("d1"))).as("nothing already synced is lost").isTrue();
  }

  @Test
  void aLinkThenAFileBelowItNeverWritesOutsideTheFolder() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    cluster = new RealFolderCluster(dir);
    var victim = cluster.add("victim");
    victim.write(".DS_Store", "ignored here");
    victim.write("notes.md", "synced");
    victim.start();

    byte[] payload = "written through a link".getBytes(StandardCharsets.UTF_8);
    BlockInfo block = new BlockInfo(0, payload.length, Sha256.of(payload));
    VersionVector v = VersionVector.empty().increment(EVIL);
    FileRecord link = FileRecord.symlink(RelativePath.of("out"), outside.toString(), 1, v, EVIL).withSequence(1);
    FileRecord file = FileRecord.file(RelativePath.of("out/evil.txt"), payload.length, 1, false, List.of(block),
        dev.jsync.core.internal.HashedContent.contentHashOf(List.of(block)), v, EVIL).withSequence(2);

    EvilPeer evil = linkEvil(new EvilPeer(2, List.of(new IndexUpdate(42, 0, 2, List.of(link, file))),
        request -> BlockReply.data(payload)), victim);
    PeerLink l = evil.link.get(20, TimeUnit.SECONDS);

    cluster.await(T, () -> victim.events.stream().anyMatch(e -> e instanceof SyncEvent.Error err
        && err.path().map(p -> p.toString().equals("out/evil.txt")).orElse(false)));
    try (var s = Files.list(outside)) {
      assertThat(s.toList()).as("nothing written outside the folder").isEmpty();
    }
    assertThat(Files.isSymbolicLink(victim.path("out"))).isTrue();

    // Requests for what the victim does not sync are refused; a real file is served.
    BlockReply ignored = l.requestBlock(new BlockRequest(RelativePath.of(".DS_Store"), 0, 12,
        Sha256.of("ignored here".getBytes(StandardCharsets.UTF_8)))).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(ignored).isInstanceOf(BlockReply.Failure.class);
    assertThat(((BlockReply.Failure) ignored).error()).isEqualTo(BlockError.NO_SUCH_FILE);
    BlockReply tooLong = l.requestBlock(new BlockRequest(RelativePath.of("notes.md"), 0, BlockInfo.SIZE + 1,
        Sha256.EMPTY)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(((BlockReply.Failure) tooLong).error()).isEqualTo(BlockError.INVALID_REQUEST);
    BlockReply real = l.requestBlock(new BlockRequest(RelativePath.of("notes.md"), 0, 6,
        Sha256.of("synced".getBytes(StandardCharsets.UTF_8)))).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(real).isInstanceOf(BlockReply.Data.class);
  }

  private static final BlockReply NOTHING_HERE = BlockReply.failure(BlockError.NO_SUCH_FILE, "nothing here");

  /** Starts {@code evil} as the transport of {@link #EVIL} and links it to {@code victim}. */
  private EvilPeer linkEvil(EvilPeer evil, RealFolderCluster.Member victim) {
    evilTransport = cluster.network.transport(EVIL);
    evilTransport.start(evil);
    cluster.network.link(EVIL, victim.id);
    return evil;
  }

  /**
   * The crafted peer: its hello claims {@code sequence}, it sends {@code updates} as soon as it
   * is linked, keeps every record the node announces to it, and answers block requests with
   * {@code blocks}.
   */
  private static final class EvilPeer implements TransportHandler {
    final List<FileRecord> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<PeerLink> link = new CompletableFuture<>();
    private final long sequence;
    private final List<IndexUpdate> updates;
    private final java.util.function.Function<BlockRequest, BlockReply> blocks;

    EvilPeer(long sequence, List<IndexUpdate> updates, java.util.function.Function<BlockRequest, BlockReply> blocks) {
      this.sequence = sequence;
      this.updates = updates;
      this.blocks = blocks;
    }

    @Override
    public Hello helloFor(DeviceId peer) {
      return new Hello("evil", 42, sequence, IndexPosition.NONE);
    }

    @Override
    public void connected(PeerLink l, Hello theirs) {
      updates.forEach(l::sendIndex);
      link.complete(l);
    }

    @Override
    public void disconnected(PeerLink l, String reason) {}

    @Override
    public CompletionStage<Void> indexReceived(PeerLink l, IndexUpdate update) {
      announced.addAll(update.records());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void indexRequested(PeerLink l, long indexEpoch, long afterSequence) {}

    @Override
    public void blockRequested(PeerLink l, BlockRequest request, Consumer<BlockReply> reply) {
      reply.accept(blocks.apply(request));
    }
  }
}
