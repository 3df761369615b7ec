package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
