package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pull}, one file's download, on its own: started for a peer's record through the
 * puller, its block requests answered by the test over a recording link. Seen: which blocks are
 * requested, what ends up on disk, and what happens to a block that is not what was asked for.
 */
class PullTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;
  private final RecordingLink link = new RecordingLink(PEER);
  private long peerSequence;

  @BeforeEach
  void start() throws IOException {
    Files.write(root.resolve("original.bin"), concat(block('A'), block('B')));
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    rig.engine.peers.connect(new PeerSession(link, new Hello("peer", 9, 0, IndexPosition.NONE), 0), "peer");
  }

  @Test
  void blocksTheFolderHoldsAreCopiedAndOnlyTheRestRequested() throws IOException {
    byte[] edited = concat(block('A'), block('B'), block('C'));
    offer(remoteFile("edited.bin", edited));

    assertThat(link.blockRequests).singleElement()
        .satisfies(r -> assertThat(r.offset()).isEqualTo(2L * BlockInfo.SIZE));
    answer(0, block('C'));

    assertThat(Files.readAllBytes(root.resolve("edited.bin"))).isEqualTo(edited);
    assertThat(rig.events(SyncEvent.FileUpdated.class)).singleElement().satisfies(e -> {
      assertThat(e.bytesFetched()).isEqualTo(BlockInfo.SIZE);
      assertThat(e.bytesReused()).isEqualTo(2L * BlockInfo.SIZE);
    });
    assertThat(rig.store.local(RelativePath.of("edited.bin"))).isPresent();
  }

  @Test
  void aBlockThatIsNotWhatWasAskedForIsRefusedAndNothingIsWritten() throws IOException {
    offer(remoteFile("wanted.bin", block('Z')));
    assertThat(link.blockRequests).hasSize(1);

    answer(0, block('Y')); // the right length, the wrong bytes

    assertThat(root.resolve("wanted.bin")).doesNotExist();
    assertThat(rig.store.local(RelativePath.of("wanted.bin"))).isEmpty();
    assertThat(rig.events(SyncEvent.Error.class)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("failed verification"));
    assertThat(rig.engine.puller.needs().size()).as("tried again later").isEqualTo(1);
    assertThat(filesHolding(block('Y'))).as("the bogus bytes are nowhere on disk").isEmpty();
  }

  @Test
  void aFileThePeerChangedWhileItWasFetchedIsNotPutInPlace() throws IOException {
    FileRecord first = remoteFile("moving.bin", block('M'));
    offer(first);
    // Meanwhile the peer saved another version: its record replaces the one the pull began with.
    FileRecord second = FileRecord.file(first.path(), 3, first.modifiedNanos() + 1, false,
        List.of(new BlockInfo(0, 3, Sha256.of(new byte[] {1, 2, 3}))), HashedContent.contentHashOf(
            List.of(new BlockInfo(0, 3, Sha256.of(new byte[] {1, 2, 3})))),
        first.version().increment(PEER, 2), PEER).withSequence(++peerSequence);
    rig.control.execute(() -> rig.engine.commits.write(new StoreBatch().putRemote(PEER, second)));
    rig.runReady();

    answer(0, block('M'));

    assertThat(root.resolve("moving.bin")).as("the superseded version is not put in place").doesNotExist();
    assertThat(rig.store.local(RelativePath.of("moving.bin"))).isEmpty();
    assertThat(filesHolding(block('M'))).as("nor left behind as a temp file").isEmpty();
    assertThat(link.blockRequests).as("the new version is fetched instead").hasSize(2)
        .last().satisfies(r -> assertThat(r.hash()).isEqualTo(second.blocks().get(0).hash()));
  }

  private void offer(FileRecord r) {
    rig.control.execute(() -> {
      rig.engine.commits.write(new StoreBatch().putRemote(PEER, r));
      rig.engine.puller.consider(PEER, r, null);
      rig.engine.puller.pump();
    });
    rig.runReady();
  }

  private void answer(int i, byte[] data) {
    link.blockReplies.get(i).complete(BlockReply.data(data));
    rig.runReady();
  }

  private FileRecord remoteFile(String path, byte[] data) {
    List<BlockInfo> blocks = new ArrayList<>();
    for (int off = 0; off < data.length; off += BlockInfo.SIZE) {
      int len = Math.min(BlockInfo.SIZE, data.length - off);
      blocks.add(new BlockInfo(off, len, Sha256.of(data, off, len)));
    }
    return FileRecord.file(RelativePath.of(path), data.length, 1_000_000_000L, false, blocks,
        HashedContent.contentHashOf(blocks), VersionVector.empty().increment(PEER, 1), PEER).withSequence(++peerSequence);
  }

  private static byte[] block(char fill) {
    byte[] b = new byte[BlockInfo.SIZE];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** The files anywhere in the folder (temp files included) whose content is {@code data}. */
  private List<Path> filesHolding(byte[] data) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(p -> {
        try {
          return Arrays.equals(Files.readAllBytes(p), data);
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
  }
}
