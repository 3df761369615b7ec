package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.DeviceId;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncOptions;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code SyncNode.forget} on a running node (docs/cli.md, "jsync forget"): a device gone for good
 * is forgotten without stopping the node; a connected or unknown one is not.
 */
class ForgetTest {

  private final SimNodes nodes = new SimNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private SimNodes.Node node(String name) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    return nodes.add(name, Files.createDirectories(fs.getPath("/sync")), SyncOptions.defaults(), fs);
  }

  private void settle() {
    nodes.run(Duration.ofSeconds(10));
  }

  private static void forget(SimNodes.Node on, String device, SimNodes nodes) throws Throwable {
    CompletableFuture<Void> done = on.node().forget(DeviceId.fromName(device)).toCompletableFuture();
    nodes.run(Duration.ofSeconds(1));
    try {
      done.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  @Test
  void aGoneDeviceIsForgottenWhileTheNodeRunsAndNoLongerHeldUpTheStatus() throws Throwable {
    SimNodes.Node a = node("a");
    SimNodes.Node b = node("b");
    SimNodes.Node gone = node("gone");
    settle();
    Files.writeString(a.folder().resolve("note.md"), "text");
    a.node().scanNow();
    settle();
    assertThat(Files.readString(gone.folder().resolve("note.md"))).isEqualTo("text");
    nodes.stop(gone);
    settle();
    assertThat(a.node().status().peers()).extracting(PeerStatus::peer).contains(DeviceId.fromName("gone"));
    assertThat(a.node().status().inSync()).as("waiting for the gone device").isFalse();

    forget(a, "gone", nodes);

    assertThat(a.node().status().peers()).extracting(PeerStatus::peer).containsExactly(DeviceId.fromName("b"));
    assertThat(a.node().status().inSync()).isTrue();
    assertThat(a.store().peers()).doesNotContain(DeviceId.fromName("gone"));
    assertThat(a.store().remote(DeviceId.fromName("gone"), RelativePath.of("note.md"))).isEmpty();

    // The node goes on syncing with the others.
    Files.writeString(b.folder().resolve("later.md"), "later");
    b.node().scanNow();
    settle();
    assertThat(Files.readString(a.folder().resolve("later.md"))).isEqualTo("later");
  }

  @Test
  void aConnectedOrUnknownDeviceIsNotForgotten() throws Exception {
    SimNodes.Node a = node("a");
    node("b");
    settle();

    assertThatThrownBy(() -> forget(a, "b", nodes)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connected");
    assertThatThrownBy(() -> forget(a, "nobody", nodes)).isInstanceOf(NoSuchElementException.class);
    assertThat(a.node().status().peers()).extracting(PeerStatus::peer).containsExactly(DeviceId.fromName("b"));
  }
}
