package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

  @TempDir
  Path dir;

  @Test
  void theStateFolderDefaultsToDotJsyncInsideTheFolder() {
    assertThat(Folders.stateDir(dir, null)).isEqualTo(dir.resolve(".jsync"));
    assertThat(Folders.stateDir(dir, dir.resolve(".jsync"))).isEqualTo(dir.resolve(".jsync"));
  }

  @Test
  void aStateFolderElsewhereInsideTheFolderWouldBeSyncedSoItIsRefused() {
    assertThatThrownBy(() -> Folders.stateDir(dir, dir.resolve("state")))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("inside the synced folder");
    assertThat(Folders.stateDir(dir.resolve("folder"), dir.resolve("state"))).isEqualTo(dir.resolve("state"));
  }

  @Test
  void theFolderMustExistAndBeAFolder() throws Exception {
    assertThatThrownBy(() -> Folders.checkFolder(dir.resolve("missing")))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(((BadInvocation) e).exitCode()).isEqualTo(ExitCodes.FOLDER));
    Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> Folders.checkFolder(dir.resolve("file")))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("is not a folder");
    assertThatThrownBy(() -> Folders.checkFolder(null))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("-d DIR")
        .satisfies(e -> assertThat(((BadInvocation) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    assertThat(Folders.checkFolder(dir.resolve("x/..").resolve(""))).isEqualTo(dir.toAbsolutePath().normalize());
  }

  @Test
  void anUnreadableFolderIsRefused() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads every folder");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      assertThatThrownBy(() -> Folders.checkFolder(locked))
          .isInstanceOf(BadInvocation.class).hasMessageContaining("cannot read folder");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
