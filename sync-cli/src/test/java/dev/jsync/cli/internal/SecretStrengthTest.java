package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weak secrets are refused or warned about; {@code jsync secret} prints strong ones. */
class SecretStrengthTest {

  @TempDir
  Path dir;

  private final InProcessCli cli = new InProcessCli();

  private RunSettings.Given given(String secret, boolean allowWeak) {
    return new RunSettings.Given(dir, List.of(), secret, null, 0, null, null, null, "n", null, allowWeak);
  }

  @Test
  void aSecretShorterThan8CharactersIsRefusedOnTheCommandLine() {
    assertThat(cli.run(Map.of("JSYNC_PASSWORD", "hunter2"), "-d", dir.toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: the shared secret has 7 characters, fewer than 8")
        .contains("jsync secret", "--allow-weak-secret");
    assertThat(dir).isEmptyDirectory();
    // Counted as the handshake sees them: NFC code points, so a decomposed é is one character.
    assertThatThrownBy(() -> RunSettings.validate(given("cafe\u0301123", false), Map.of()))
        .isInstanceOf(BadInvocation.class).hasMessageContaining("has 7 characters");
  }

  @Test
  void allowWeakSecretAcceptsItAndAWarningStillApplies() {
    RunSettings settings = RunSettings.validate(given("hunter2", true), Map.of());
    assertThat(settings.secret()).isEqualTo("hunter2");
    assertThat(SecretStrength.warning("hunter2")).get().asString().contains("weak", "jsync secret");
  }

  @Test
  void weakButLongEnoughSecretsAreAcceptedWithAWarning() {
    for (String weak : List.of("password", "12345678901", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Summer2024")) {
      assertThat(RunSettings.validate(given(weak, false), Map.of()).secret()).isEqualTo(weak);
      assertThat(SecretStrength.warning(weak)).as(weak).isPresent();
    }
    for (String strong : List.of("correct horse battery staple", "tR4!vQ9#mZ2@kL7$")) {
      assertThat(SecretStrength.warning(strong)).as(strong).isEmpty();
    }
  }

  @Test
  void jsyncSecretPrintsAStrongTypeableSecret() {
    Set<String> printed = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      assertThat(cli.run("secret")).isZero();
      String secret = cli.out().strip();
      assertThat(secret).matches("[2-9a-km-np-z]{5}(-[2-9a-km-np-z]{5}){5}");
      assertThat(SecretStrength.warning(secret)).isEmpty();
      assertThat(SecretStrength.refusal(secret)).isEmpty();
      printed.add(secret);
    }
    assertThat(printed).hasSize(3);
    assertThat(SecretCommand.BITS).isGreaterThanOrEqualTo(128);
    assertThat(SecretCommand.ALPHABET.chars().distinct().count()).isEqualTo(32);
  }

  @Test
  void generatedSecretsUseTheWholeAlphabet() {
    // 2,000 secrets of 30 characters: every letter of the alphabet shows up, each near 1/32 of the time.
    SecureRandom random = new SecureRandom();
    int[] counts = new int[128];
    for (int i = 0; i < 2000; i++) {
      SecretCommand.generate(random).chars().filter(c -> c != '-').forEach(c -> counts[c]++);
    }
    for (char c : SecretCommand.ALPHABET.toCharArray()) {
      assertThat(counts[c]).as("count of %s", c).isBetween(1500, 2250);
    }
  }
}
