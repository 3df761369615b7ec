package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @TempDir
  Path dir;

  @Test
  void dashPWinsOverTheEnvironment() {
    assertThat(Secrets.resolve("from -p", null, Map.of("JSYNC_PASSWORD", "from env"))).isEqualTo("from -p");
  }

  @Test
  void theEnvironmentIsUsedWhenNothingElseIsGiven() {
    assertThat(Secrets.resolve(null, null, Map.of("JSYNC_PASSWORD", "from env"))).isEqualTo("from env");
  }

  @Test
  void aPasswordFileLosesItsFinalNewlineOnly() throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, "  spaces kept \r\n");
    assertThat(Secrets.resolve(null, f, Map.of("JSYNC_PASSWORD", "ignored"))).isEqualTo("  spaces kept ");
  }

  @Test
  void mistakesAreUsageErrorsThatSayWhatToDo() throws Exception {
    assertThatThrownBy(() -> Secrets.resolve(null, null, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("JSYNC_PASSWORD").hasMessageContaining("process list");
    assertThatThrownBy(() -> Secrets.resolve("a", dir.resolve("f"), Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("give the secret once");
    assertThatThrownBy(() -> Secrets.resolve(null, dir.resolve("missing"), Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("does not exist");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    assertThatThrownBy(() -> Secrets.resolve(null, empty, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("is empty");
    assertThatThrownBy(() -> Secrets.resolve(null, null, Map.of("JSYNC_PASSWORD", "")))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("set but empty");
    Path latin1 = dir.resolve("latin1");
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xe9});
    assertThatThrownBy(() -> Secrets.resolve(null, latin1, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void aPasswordFileThatIsALinkIsRefusedWithTheReason() throws Exception {
    Path real = Files.writeString(dir.resolve("real"), "the secret\n");
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    assertThatThrownBy(() -> Secrets.resolve(null, link, Map.of()))
        .isInstanceOf(BadInvocation.class)
        .hasMessage("the password file " + link + " is a symbolic link: name the file it points to instead (jsync"
            + " does not follow links here, since the secret is kept private by the permissions of the file itself)");
  }

  @Test
  void aPasswordFileLargerThanASecretIsRefusedWithoutReadingItAll() throws Exception {
    Path big = dir.resolve("big");
    Files.write(big, new byte[PasswordFile.MAX_BYTES + 1]);
    assertThatThrownBy(() -> Secrets.resolve(null, big, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("holds 4097 bytes, more than a secret needs (at most"
            + " 4096)");
    Path justRight = dir.resolve("just-right");
    Files.writeString(justRight, "s".repeat(PasswordFile.MAX_BYTES));
    assertThat(Secrets.resolve(null, justRight, Map.of())).hasSize(PasswordFile.MAX_BYTES);
    // A device never ends: without the limit this read would fill the heap.
    assertThatThrownBy(() -> Secrets.resolve(null, Path.of("/dev/zero"), Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("is not a plain file");
    assertThatThrownBy(() -> Secrets.resolve(null, dir, Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("is not a plain file");
  }

  @Test
  void aPasswordFileOthersCanReadIsUsedWithAWarning() throws Exception {
    Path f = Files.writeString(dir.resolve("secret"), "hunter2-xyz\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    PasswordFile.Contents open = PasswordFile.read(f);
    assertThat(open.secret()).isEqualTo("hunter2-xyz");
    assertThat(open.warning()).hasValueSatisfying(w -> assertThat(w)
        .isEqualTo("the password file " + f + " can be read by other users of this machine (mode rw-r--r--), and so"
            + " can the secret: make it private with chmod 600"));
    assertThat(open.toString()).doesNotContain("hunter2-xyz");

    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertThat(PasswordFile.read(f).warning()).isEmpty();
  }
}
