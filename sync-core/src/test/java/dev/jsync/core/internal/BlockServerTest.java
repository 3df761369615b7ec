package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a peer's block request gets: only bytes the index lists for that path, never read through a link. */
class BlockServerTest {

  private static final DeviceId ME = DeviceId.fromName("me");

  @TempDir
  Path dir;

  private Path folder;
  private TinyStore store;
  private BlockServer server;
  private long sequence;

  @BeforeEach
  void setUp() throws Exception {
    folder = Files.createDirectories(dir.resolve("folder"));
    store = new TinyStore();
    // The clock stands still: whatever is kept stays young, so only the index decides.
    server = new BlockServer(new DiskView(folder), store, IgnoreRules::defaults, () -> 0L);
  }

  private BlockInfo put(String path, String content) throws Exception {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    Path file = folder.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, data);
    index(path, data);
    return new BlockInfo(0, data.length, Sha256.of(data));
  }

  private void index(String path, byte[] data) {
    BlockInfo block = new BlockInfo(0, data.length, Sha256.of(data));
    RelativePath p = RelativePath.of(path);
    store.local.put(p, LocalEntry.withoutStat(FileRecord.file(p, data.length, 0, false, List.of(block),
        HashedContent.contentHashOf(List.of(block)), VersionVector.empty().increment(ME, ++sequence), ME)
        .withSequence(sequence)));
  }

  private BlockReply ask(String path, BlockInfo block) {
    return server.serve(new BlockRequest(RelativePath.of(path), block.offset(), block.length(), block.hash()));
  }

  private static BlockError error(BlockReply reply) {
    assertThat(reply).isInstanceOf(BlockReply.Failure.class);
    return ((BlockReply.Failure) reply).error();
  }

  @Test
  void servesWhatTheIndexListsAndNothingElse() throws Exception {
    BlockInfo a = put("a.md", "a note");
    put(".DS_Store", "ignored");
    assertThat(((BlockReply.Data) ask("a.md", a)).bytes()).isEqualTo("a note".getBytes(StandardCharsets.UTF_8));

    BlockInfo other = new BlockInfo(0, 6, Sha256.of("b note".getBytes(StandardCharsets.UTF_8)));
    assertThat(error(ask("a.md", other))).as("a hash the index does not list").isEqualTo(BlockError.CHANGED);
    assertThat(error(ask("a.md", new BlockInfo(BlockInfo.SIZE, 6, a.hash())))).as("past the index's blocks")
        .isEqualTo(BlockError.CHANGED);
    assertThat(error(ask("elsewhere.md", a))).isEqualTo(BlockError.NO_SUCH_FILE);
    assertThat(error(ask(".DS_Store", put(".DS_Store", "ignored")))).isEqualTo(BlockError.NO_SUCH_FILE);
  }

  /** Changed on disk since the scan: the bytes no longer hash to the block, so they are not sent. */
  @Test
  void bytesThatNoLongerHashToTheBlockAreNotSent() throws Exception {
    BlockInfo a = put("a.md", "a note");
    Files.writeString(folder.resolve("a.md"), "secret");
    assertThat(error(ask("a.md", a))).isEqualTo(BlockError.CHANGED);
  }

  /** Identical bytes behind a link are still not read through it, at the file or above it. */
  @Test
  void nothingIsReadThroughALink() throws Exception {
    BlockInfo a = put("a.md", "a note");
    BlockInfo b = put("d/b.md", "a note");
    assertThat(ask("a.md", a)).isInstanceOf(BlockReply.Data.class); // kept from here on
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("a.md"), "a note");
    Files.writeString(outside.resolve("b.md"), "a note");
    Files.delete(folder.resolve("a.md"));
    Files.createSymbolicLink(folder.resolve("a.md"), outside.resolve("a.md"));
    Files.delete(folder.resolve("d/b.md"));
    Files.delete(folder.resolve("d"));
    Files.createSymbolicLink(folder.resolve("d"), outside);

    assertThat(error(ask("a.md", a))).isEqualTo(BlockError.CHANGED);
    assertThat(error(ask("d/b.md", b))).isEqualTo(BlockError.CHANGED);
  }

  /** A kept block list never hides a new version: once the index changes, the new blocks are served. */
  @Test
  void aNewVersionIsServedAsSoonAsTheIndexHasIt() throws Exception {
    BlockInfo v1 = put("a.md", "version 1");
    assertThat(ask("a.md", v1)).isInstanceOf(BlockReply.Data.class);
    BlockInfo v2 = put("a.md", "version 2");
    assertThat(ask("a.md", v2)).isInstanceOf(BlockReply.Data.class);
    assertThat(error(ask("a.md", v1))).isEqualTo(BlockError.CHANGED);
  }
}
