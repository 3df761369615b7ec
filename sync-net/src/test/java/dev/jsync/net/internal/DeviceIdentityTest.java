package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
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

  @Test
  void theKeyAndCertificateAreKeptAsPemAndLoadAgainAsTheSameDevice() throws IOException {
    Path state = dir.resolve("state");
    DeviceIdentity made = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    String text = Files.readString(state.resolve(DeviceIdentity.FILE_NAME));
    assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").contains("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");

    DeviceIdentity again = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    assertThat(again.id()).isEqualTo(made.id());
    assertThat(again.key().getEncoded()).isEqualTo(made.key().getEncoded());
    assertThat(again.certificateDer()).isEqualTo(made.certificateDer());
    assertThat(state.resolve(DeviceIdentity.OLD_FILE_NAME)).doesNotExist();
  }

  @Test
  void anIdentityAnOlderVersionKeptAsPkcs12IsLoadedFromThereAndLeftAsItIs() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    SelfSignedCertificates.KeyAndCertificate made =
        SelfSignedCertificates.generate(java.time.Instant.now(), new java.security.SecureRandom());
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("device", made.keys().getPrivate(), "jsync".toCharArray(),
        new Certificate[] {made.certificate()});
    Path old = state.resolve(DeviceIdentity.OLD_FILE_NAME);
    try (OutputStream out = Files.newOutputStream(old)) {
      store.store(out, "jsync".toCharArray());
    }
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-------"));
    byte[] before = Files.readAllBytes(old);

    DeviceIdentity loaded = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    assertThat(loaded.certificateDer()).isEqualTo(made.certificate().getEncoded());
    assertThat(state.resolve(DeviceIdentity.FILE_NAME)).as("no second identity made").doesNotExist();
    assertThat(Files.readAllBytes(old)).isEqualTo(before);

    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("can be read by other users");
  }

  @Test
  void aKeyFileThatDoesNotHoldAKeyAndACertificateIsRefusedAndNotReplaced() throws IOException {
    Path state = dir.resolve("state");
    DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    Path key = state.resolve(DeviceIdentity.FILE_NAME);
    String whole = Files.readString(key);
    String keyOnly = whole.substring(0, whole.indexOf("-----BEGIN CERTIFICATE-----"));
    String twoKeys = keyOnly + whole;
    String notBase64 = whole.replaceFirst("\n[A-Za-z0-9+/]", "\n*");
    for (String broken : new String[] {keyOnly, twoKeys, notBase64, "", "garbage"}) {
      Files.writeString(key, broken);
      assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC()))
          .as(broken).isInstanceOf(IOException.class);
      assertThat(Files.readString(key)).as("never replaced").isEqualTo(broken);
    }
    Files.write(key, new byte[100_000]);
    assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("too large");
  }
}
