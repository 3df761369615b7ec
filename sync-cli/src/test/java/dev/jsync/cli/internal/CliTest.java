package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process: parsing and validation, up to (not including) starting a node. */
class CliTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = Cli.commandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void versionAndHelp() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("jsync ");
    assertThat(run(Map.of(), "status", "--help")).isZero();
    assertThat(out.toString()).contains("Exit codes", "7  running, not in sync yet");
  }

  @Test
  void picocliErrorsBecomeOneLine() {
    assertThat(run(Map.of(), "--no-such-flag")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("jsync: Unknown option: '--no-such-flag' (see jsync --help)"
        + System.lineSeparator());
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(), "-d", dir.toString(), "--port", "many")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().strip()).startsWith("jsync: Invalid value for option '--port'").doesNotContain("\n");
  }

  @Test
  void validationErrorsPrintOneLineWithTheirExitCode() {
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "-v", "-q")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("contradict");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "--port", "70000"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jsync: --port 70000 is not between 0 and 65535");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "--scan-interval", "200ms"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("shorter than 1s");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "--bind", "no.such.host.invalid"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--bind 'no.such.host.invalid'");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "--tls", "gnutls")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jsync: --tls gnutls is not one of auto, jdk, openssl");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void statusNeedsAFolder() {
    assertThat(run(Map.of(), "status")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jsync status: no folder given");
    assertThat(run(Map.of(), "status", "-d", dir.resolve("nope").toString())).isEqualTo(ExitCodes.FOLDER);
  }
}
