package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.FileRecord;
import dev.jsync.core.SyncOptions;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A device whose file system keeps no executable bit (Windows; Jimfs with basic attributes
 * only here) neither loses the bit its peers set nor invents one: a received executable file
 * stays executable in its index however often it rescans, and its own edits of that file keep
 * the bit for the peers that have one.
 */
class ExecutableBitWithoutPermissionsTest {

  private final SimNodes nodes = new SimNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private SimNodes.Node node(String name, Configuration fsConfig) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(fsConfig);
    return nodes.add(name, Files.createDirectories(fs.getPath("/folder")), SyncOptions.defaults(), fs);
  }

  private void settle() {
    nodes.run(Duration.ofSeconds(10));
  }

  @Test
  void theBitSurvivesADeviceThatCannotShowIt() throws Exception {
    SimNodes.Node linux = node("linux", Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    SimNodes.Node windows = node("windows", Configuration.unix().toBuilder().setAttributeViews("basic").build());
    settle();

    Path script = linux.folder().resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    linux.node().scanNow();
    settle();
    assertThat(Files.readString(windows.folder().resolve("run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
    FileRecord received = windows.record("run.sh").orElseThrow();
    assertThat(received.executable()).isTrue();

    // Rescanning the file, which shows no bit there, changes nothing.
    windows.node().scanNow();
    settle();
    assertThat(windows.record("run.sh")).contains(received);
    assertThat(linux.record("run.sh").orElseThrow().version()).isEqualTo(received.version());

    // An edit made there keeps the bit it cannot see.
    Files.writeString(windows.folder().resolve("run.sh"), "#!/bin/sh\necho hello\n");
    windows.node().scanNow();
    settle();
    assertThat(windows.record("run.sh").orElseThrow().executable()).isTrue();
    assertThat(Files.readString(script)).isEqualTo("#!/bin/sh\necho hello\n");
    assertThat(Files.getPosixFilePermissions(script)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));

    // A file made there is not executable anywhere.
    Files.writeString(windows.folder().resolve("note.md"), "text");
    windows.node().scanNow();
    settle();
    assertThat(Files.getPosixFilePermissions(linux.folder().resolve("note.md")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    assertThat(linux.record("note.md").orElseThrow().executable()).isFalse();
  }
}
