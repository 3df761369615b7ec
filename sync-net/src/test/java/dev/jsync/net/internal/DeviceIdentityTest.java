package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device key file as another user of the machine could meet it. */
class DeviceIdentityTest {

  @TempDir
  Path dir;

  @Test
  void theStateFolderIsCreatedOwnerOnly() throws IOException {
    Path state = dir.resolve("state");
    DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(state.resolve(DeviceIdentity.FILE_NAME))).isEqualTo("rw-------");
  }

  @Test
  void aKeyOtherUsersCanReadIsRefusedWithTheCommandThatFixesItAndLeftAsItIs() throws IOException {
    Path state = dir.resolve("state");
    DeviceIdentity made = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    Path key = state.resolve(DeviceIdentity.FILE_NAME);
    for (String loose : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(loose));
      assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("can be read by other users (mode " + loose + ")")
          .hasMessageContaining("chmod 600 " + key);
      assertThat(mode(key)).as("never changed behind the user's back").isEqualTo(loose);
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(DeviceIdentity.loadOrCreate(state, Clock.systemUTC()).id()).isEqualTo(made.id());
  }

  @Test
  void aLinkAtTheKeysNameIsRefusedNotFollowed() throws IOException {
    Path elsewhere = dir.resolve("elsewhere");
    DeviceIdentity.loadOrCreate(elsewhere, Clock.systemUTC());
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.createSymbolicLink(state.resolve(DeviceIdentity.FILE_NAME), elsewhere.resolve(DeviceIdentity.FILE_NAME));
    assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
