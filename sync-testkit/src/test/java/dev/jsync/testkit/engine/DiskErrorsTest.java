package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.SyncOptions;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a file system refuses is reported for that file while everything else keeps syncing: a
 * full disk on the receiving device (retried later; nothing partial ever appears at the file's
 * own name, and once there is room the file arrives whole), and a name too long for any file
 * system on the device that has it (never sent).
 */
class DiskErrorsTest {

  private static final SyncOptions FAST_RETRY = SyncOptions.defaults().withRetryDelay(Duration.ofSeconds(2));

  @TempDir
  Path tmp;

  private final SimNodes nodes = new SimNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private SimNodes.Node onJimfs(String name, long maxBytes) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "posix").setBlockSize(4096).setMaxSize(maxBytes).build());
    return nodes.add(name, Files.createDirectories(fs.getPath("/folder")), FAST_RETRY, fs);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aFullDiskIsReportedPerFileAndTheFileArrivesOnceThereIsRoom() throws Exception {
    SimNodes.Node a = onJimfs("a", 64L << 20);
    SimNodes.Node b = onJimfs("b", 2L << 20);
    byte[] filler = random(1_200_000, 1);
    byte[] big = random(1_000_000, 2);
    Files.write(a.folder().resolve("filler.bin"), filler);
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(10));
    assertThat(Files.readAllBytes(b.folder().resolve("filler.bin"))).isEqualTo(filler);

    // B has ~0.8 MB left: the 1 MB file cannot fit, the small note can.
    Files.write(a.folder().resolve("big.bin"), big);
    Files.writeString(a.folder().resolve("note.md"), "small");
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(10));
    assertThat(Files.readString(b.folder().resolve("note.md"))).isEqualTo("small");
    assertThat(b.folder().resolve("big.bin")).doesNotExist();
    assertThat(b.errorsAbout("big.bin")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.message()).containsIgnoringCase("space"));
    assertThat(b.record("big.bin")).isEmpty();
    assertThat(b.record("filler.bin").orElseThrow().contentHash()).isEqualTo(a.record("filler.bin").orElseThrow().contentHash());

    // Room is made (the filler deleted on A, so on B): the retry brings the file, whole.
    Files.delete(a.folder().resolve("filler.bin"));
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(20));
    assertThat(b.folder().resolve("filler.bin")).doesNotExist();
    assertThat(Files.readAllBytes(b.folder().resolve("big.bin"))).isEqualTo(big);
    assertThat(b.record("big.bin").orElseThrow().contentHash()).isEqualTo(a.record("big.bin").orElseThrow().contentHash());
    try (Stream<Path> left = Files.list(b.folder())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("big.bin", "note.md");
    }
  }

  @Test
  void aNameTooLongForAnyFileSystemIsReportedWhereItIsAndNeverSent() throws Exception {
    // Jimfs takes names of any length; Linux, macOS and Windows file systems stop at 255 bytes
    // (or characters), so such a name could not be made on a peer: the device that has it
    // reports it at every scan, sends nothing for it, and syncs the rest.
    SimNodes.Node a = onJimfs("a", 64L << 20);
    Path real = Files.createDirectories(tmp.resolve("b"));
    SimNodes.Node b = nodes.add("b", real, FAST_RETRY, null);
    String longName = "n".repeat(300) + ".md";
    Files.writeString(a.folder().resolve(longName), "long");
    Files.writeString(a.folder().resolve("short.md"), "short");
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(10));

    assertThat(Files.readString(real.resolve("short.md"))).isEqualTo("short");
    assertThat(a.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(dev.jsync.core.SyncEvent.Error.class,
        err -> assertThat(err.message()).contains("longer than 255 bytes")));
    assertThat(a.node().status().localFiles()).isEqualTo(1);
    assertThat(b.events()).noneMatch(e -> e instanceof dev.jsync.core.SyncEvent.Error);
    try (Stream<Path> left = Files.list(real)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".jsync")))
          .containsExactly("short.md");
    }
  }
}
