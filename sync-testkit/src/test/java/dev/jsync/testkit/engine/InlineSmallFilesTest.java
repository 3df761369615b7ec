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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Small files saved while peers are connected travel with their index records, so the peer
 * requests no block for them; large files, and a first contact's whole folder (which the peer
 * may have already), go by request as before.
 */
class InlineSmallFilesTest {

  private final SimNodes nodes = new SimNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private SimNodes.Node node(String name) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    return nodes.add(name, Files.createDirectories(fs.getPath("/folder")), SyncOptions.defaults(), fs);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void smallFilesSavedWhileConnectedNeedNoBlockRequest() throws Exception {
    SimNodes.Node a = node("a");
    SimNodes.Node b = node("b");
    nodes.run(Duration.ofSeconds(5));
    long before = nodes.network.blockRequestsSent();

    for (int i = 0; i < 30; i++) {
      Files.write(a.folder().resolve("note" + i + ".md"), random(100 + i * 500, i));
    }
    byte[] large = random(300_000, 99); // three blocks, over the inline limit
    Files.write(a.folder().resolve("large.bin"), large);
    a.node().scanNow();
    nodes.run(Duration.ofSeconds(10));

    for (int i = 0; i < 30; i++) {
      assertThat(Files.readAllBytes(b.folder().resolve("note" + i + ".md"))).isEqualTo(random(100 + i * 500, i));
    }
    assertThat(Files.readAllBytes(b.folder().resolve("large.bin"))).isEqualTo(large);
    assertThat(nodes.network.blockRequestsSent() - before).as("only the large file's blocks").isEqualTo(3);
  }

  @Test
  void aFirstContactsFolderGoesByRequest() throws Exception {
    SimNodes.Node a = node("a");
    for (int i = 0; i < 10; i++) {
      Files.write(a.folder().resolve("note" + i + ".md"), random(1000, i));
    }
    nodes.run(Duration.ofSeconds(2)); // a scans its folder alone
    SimNodes.Node b = node("b");
    nodes.run(Duration.ofSeconds(10));

    for (int i = 0; i < 10; i++) {
      assertThat(Files.readAllBytes(b.folder().resolve("note" + i + ".md"))).isEqualTo(random(1000, i));
    }
    assertThat(nodes.network.blockRequestsSent()).isEqualTo(10);
  }
}
