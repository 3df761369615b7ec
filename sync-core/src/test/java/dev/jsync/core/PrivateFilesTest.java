package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir
  Path dir;

  @Test
  void foldersAreCreatedOwnerOnlyWhateverTheUmask() throws Exception {
    Path made = PrivateFiles.createFolders(dir.resolve("a/b"));
    assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(made)).isEqualTo("rwx------");
    Path file = Files.createFile(made.resolve("f"), PrivateFiles.file(made));
    assertThat(mode(file)).isEqualTo("rw-------");
  }

  @Test
  void narrowingTakesOffGroupAndOtherBitsOnlyAndLeavesLinksAndTheirTargetsAlone() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state/index"));
    set(state.getParent(), "rwxr-xr-x");
    set(state, "rwxrwxrwx");
    Path open = Files.writeString(state.resolve("000001.sst"), "x");
    set(open, "rw-r--r--");
    Path readOnly = Files.writeString(state.getParent().resolve("read-only"), "x");
    set(readOnly, "r--r-----");
    Path closed = Files.writeString(state.getParent().resolve("closed"), "x");
    set(closed, "rw-------");
    Path outside = Files.writeString(dir.resolve("outside"), "x");
    set(outside, "rw-r--r--");
    Files.createSymbolicLink(state.resolve("link"), outside);

    assertThat(PrivateFiles.narrow(state.getParent())).containsExactlyInAnyOrder(
        state.getParent() + " (rwxr-xr-x)", state + " (rwxrwxrwx)", open + " (rw-r--r--)", readOnly + " (r--r-----)");

    assertThat(mode(state.getParent())).isEqualTo("rwx------");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(open)).isEqualTo("rw-------");
    assertThat(mode(readOnly)).as("never loosened: no write bit added").isEqualTo("r--------");
    assertThat(mode(closed)).isEqualTo("rw-------");
    assertThat(mode(outside)).as("a link inside is not followed").isEqualTo("rw-r--r--");
    assertThat(PrivateFiles.narrow(state.getParent())).isEmpty();
  }

  @Test
  void readableByOthersLooksAtTheGroupAndOtherReadBits() throws Exception {
    Path f = Files.writeString(dir.resolve("f"), "x");
    set(f, "rw--w--w-");
    assertThat(PrivateFiles.readableByOthers(f)).isFalse();
    set(f, "rw-r-----");
    assertThat(PrivateFiles.readableByOthers(f)).isTrue();
    set(f, "rw----r--");
    assertThat(PrivateFiles.readableByOthers(f)).isTrue();
  }

  private static void set(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
