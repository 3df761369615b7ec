package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.store.StoreException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRunnerTest {

  private static final RunSettings S = new RunSettings(Path.of("/home/me/Notes"), Path.of("/home/me/Notes/.jsync"),
      new InetSocketAddress(7777), List.of(), "secret", "me", Duration.ofSeconds(60), dev.jsync.net.TlsEngine.AUTO);

  @Test
  void aLockedStateFolderMeansAnotherJsync() {
    BadInvocation b = NodeRunner.indexFailure(S, new StoreException(
        "state folder /home/me/Notes/.jsync is already in use by process 42"), "Linux amd64");
    assertThat(b.exitCode()).isEqualTo(ExitCodes.IN_USE);
    assertThat(b.getMessage()).startsWith("another jsync is already syncing /home/me/Notes (")
        .contains("process 42").contains("jsync status -d /home/me/Notes");
  }

  @Test
  void aMissingNativeLibraryNamesThePlatformsThatWork() {
    BadInvocation b = NodeRunner.indexFailure(S, new StoreException(
        "cannot open the index in state folder x: librocksdbjni-linux32.so was not found inside JAR."), "Linux arm");
    assertThat(b.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(b.getMessage()).contains("no native library for this platform (Linux arm)", "Raspberry Pi Zero W",
        "docs/deploy.md");
    assertThat(NodeRunner.indexFailure(S, new UnsatisfiedLinkError("Error loading shared library"), "Linux amd64")
        .getMessage()).contains("not musl/Alpine");
  }

  @Test
  void anythingElseIsPassedOn() {
    BadInvocation b = NodeRunner.indexFailure(S, new StoreException("the index was written by a newer jSync"), "x");
    assertThat(b.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(b.getMessage()).isEqualTo("cannot open the index in /home/me/Notes/.jsync: the index was written by a"
        + " newer jSync");
  }
}
