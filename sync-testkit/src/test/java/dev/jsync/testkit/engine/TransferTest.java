package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.SyncEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the original tool does not do: block reuse, resume, races, chains, skewed clocks. */
class TransferTest extends RealFolderPairCase {

  private static final Duration T = Duration.ofSeconds(30);

  TransferTest() {
    super(T);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A pair that has synced {@code file} from {@code a}, and each of which says it is in sync. */
  private Pair inSyncPair(String file, byte[] content) {
    Pair pair = syncedPair(file, content);
    cluster.await(T, () -> pair.a().node.status().inSync() && pair.b().node.status().inSync());
    return pair;
  }

  @Test
  void aRenameMovesNoBlocks() throws IOException {
    var m = inSyncPair("docs/big.bin", random(1 << 20, 1));
    long before = cluster.network.blockBytesSent();
    assertThat(before).isEqualTo(1 << 20);

    Files.move(m.a().path("docs/big.bin"), m.a().path("docs/renamed.bin"));
    m.a().scan();
    cluster.awaitConverged(T);
    assertThat(m.b().path("docs/big.bin")).doesNotExist();
    assertThat(cluster.network.blockBytesSent()).isEqualTo(before);
  }

  @Test
  void aOneByteChangeMovesOneBlock() {
    byte[] content = random(16 * BlockInfo.SIZE, 2);
    var m = inSyncPair("big.bin", content);
    long before = cluster.network.blockBytesSent();

    content[7 * BlockInfo.SIZE + 1234] ^= 1;
    m.a().write("big.bin", content);
    m.a().scan();
    cluster.awaitConverged(T);
    assertThat(cluster.network.blockBytesSent() - before).isEqualTo(BlockInfo.SIZE);
  }

  @Test
  void aCrashMidDownloadResumesFromTheTempFile() throws IOException {
    var pair = linkedPair();
    var a = pair.a();
    var b = pair.b();
    byte[] content = random(32 * BlockInfo.SIZE, 3);
    a.write("video.bin", content);
    cluster.network.holdBlocksAfter(10);
    a.start();
    b.start();
    // Ten blocks delivered and written to the temp file, the rest held back.
    cluster.await(T, () -> cluster.network.heldBlocks() > 0
        && cluster.network.blockBytesSent() == 10L * BlockInfo.SIZE && verifiedBlocksInTemp(b.folder, content) == 10);
    // The ten delivered blocks are in the temp file; the final path was never touched.
    assertThat(b.path("video.bin")).doesNotExist();

    b.stop();
    long fetchedBeforeCrash = cluster.network.blockBytesSent();
    assertThat(fetchedBeforeCrash).isEqualTo(10L * BlockInfo.SIZE);
    cluster.network.releaseBlocks();
    b.start();

    cluster.awaitConverged(T);
    assertThat(Files.readAllBytes(b.path("video.bin"))).isEqualTo(content);
    assertThat(cluster.network.blockBytesSent()).as("nothing fetched twice").isEqualTo(content.length);
    assertThat(tempFiles(b.folder)).isZero();
  }

  @Test
  void aSaveDuringADownloadBecomesAConflictNotALoss() throws IOException {
    var m = inSyncPair("doc.bin", random(4 * BlockInfo.SIZE, 4));
    var a = m.a();
    var b = m.b();
    cluster.network.holdBlocksAfter(0);
    byte[] fromA = random(4 * BlockInfo.SIZE, 5);
    a.write("doc.bin", fromA);
    a.scan();
    cluster.await(T, () -> cluster.network.heldBlocks() > 0);

    // The user saves on b while b is downloading a's version; b has not scanned it yet.
    byte[] fromB = random(4 * BlockInfo.SIZE, 6);
    b.write("doc.bin", fromB);
    cluster.network.releaseBlocks();

    cluster.awaitConverged(T);
    var tree = RealFolderCluster.tree(b.folder);
    assertThat(tree).hasSize(2);
    String copy = tree.keySet().stream().filter(p -> p.contains(".conflict-")).findFirst().orElseThrow();
    assertThat(Stream.of(Files.readAllBytes(b.path("doc.bin")), Files.readAllBytes(b.path(copy))))
        .anySatisfy(bytes -> assertThat(bytes).isEqualTo(fromA))
        .anySatisfy(bytes -> assertThat(bytes).isEqualTo(fromB));
  }

  @Test
  void aChainPropagatesEditsAndDeletesBothWays() throws IOException {
    cluster = new RealFolderCluster(dir);
    var a = cluster.add("a");
    var b = cluster.add("b");
    var c = cluster.add("c");
    cluster.link(a, b);
    cluster.link(b, c);
    a.write("from-a.md", "hello c");
    a.start();
    b.start();
    c.start();
    cluster.await(T, () -> Files.exists(c.path("from-a.md")));

    c.write("from-c.md", "hello a");
    c.scan();
    cluster.await(T, () -> Files.exists(a.path("from-c.md")));

    Files.delete(c.path("from-a.md"));
    c.scan();
    cluster.await(T, () -> !Files.exists(a.path("from-a.md")));
    cluster.awaitConverged(T);
  }

  @Test
  void aClockAnHourAheadDoesNotOverwriteANewerEdit() throws IOException {
    cluster = new RealFolderCluster(dir);
    var fast = cluster.add("fast");
    var b = cluster.add("b");
    fast.clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    cluster.link(fast, b);
    fast.write("plan.md", "from the fast clock");
    // Files written on a device whose clock is an hour fast carry its times.
    Files.setLastModifiedTime(fast.path("plan.md"), FileTime.from(Instant.now().plus(Duration.ofHours(1))));
    fast.start();
    b.start();
    cluster.awaitConverged(T);

    b.write("plan.md", "a later edit with an older timestamp");
    b.scan();
    cluster.await(T, () -> fast.read("plan.md").equals("a later edit with an older timestamp"));
    cluster.awaitConverged(T);
    assertThat(RealFolderCluster.tree(fast.folder)).hasSize(1);
    assertThat(fast.events).noneMatch(e -> e instanceof SyncEvent.ConflictCopyCreated);
  }

  /** How many blocks of {@code content} the (single) temp file under {@code folder} holds at their offsets. */
  private static int verifiedBlocksInTemp(Path folder, byte[] content) {
    try (Stream<Path> s = Files.walk(folder)) {
      Path temp = s.filter(p -> p.getFileName().toString().startsWith(".jsync-tmp-")).findFirst().orElse(null);
      if (temp == null) {
        return 0;
      }
      byte[] data = Files.readAllBytes(temp);
      int n = 0;
      for (int off = 0; off + BlockInfo.SIZE <= Math.min(data.length, content.length); off += BlockInfo.SIZE) {
        if (java.util.Arrays.equals(data, off, off + BlockInfo.SIZE, content, off, off + BlockInfo.SIZE)) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  private static long tempFiles(Path folder) {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".jsync-tmp-")).count();
    } catch (IOException e) {
      return -1;
    }
  }
}
