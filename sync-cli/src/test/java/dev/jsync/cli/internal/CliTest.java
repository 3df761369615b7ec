package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void everyCommandTakesHelpAsAnOptionWhateverElseIsGiven() {
    // Error messages say "see jsync COMMAND --help": that must work, even for restore, whose
    // --version is its own option (the version to restore), not the program's version.
    for (List<String> args : List.of(List.of("status"), List.of("history"), List.of("restore"),
        List.of("restore", "-d", "/tmp", "plan.md"), List.of("peers"), List.of("forget"), List.of("secret"))) {
      List<String> withHelp = new java.util.ArrayList<>(args);
      withHelp.add("--help");
      out.getBuffer().setLength(0);
      assertThat(run(Map.of(), withHelp.toArray(String[]::new))).as("%s: %s", withHelp, err).isZero();
      assertThat(out.toString()).as("%s", withHelp).startsWith("Usage: jsync " + args.get(0));
    }
    out.getBuffer().setLength(0);
    assertThat(run(Map.of(), "restore", "-h")).isZero();
    assertThat(out.toString()).startsWith("Usage: jsync restore").contains("--version=ID", "-h, --help");
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
  void helpCommandPrintsTheHelpOfTheCommandNamed() {
    assertThat(run(Map.of(), "help")).isZero();
    assertThat(out.toString()).startsWith("Usage: jsync ").contains("Exit codes:", "jsync help COMMAND");
    out.getBuffer().setLength(0);
    assertThat(run(Map.of(), "help", "status")).isZero();
    assertThat(out.toString()).startsWith("Usage: jsync status ").contains("7  running, not in sync yet");
    out.getBuffer().setLength(0);
    assertThat(run(Map.of(), "help", "secret")).isZero();
    assertThat(out.toString()).startsWith("Usage: jsync secret ");
    assertThat(run(Map.of(), "help", "nosuch")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Unknown subcommand 'nosuch'");
  }

  @Test
  void everyCommandsHelpFormatsWithoutAWarning() {
    // picocli reports a text it cannot format (a lone % in a description) on System.err.
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command : List.of("jsync", "status", "secret", "history", "restore", "peers", "forget")) {
        out.getBuffer().setLength(0);
        assertThat(command.equals("jsync") ? run(Map.of(), "--help") : run(Map.of(), "help", command))
            .as(command).isZero();
        assertThat(out.toString()).as(command).startsWith("Usage: jsync");
      }
    } finally {
      System.setErr(before);
    }
    assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void everyExitCodeIsListedInTheHelpAndInTheDocs() throws Exception {
    assertThat(run(Map.of(), "--help")).isZero();
    String help = out.toString();
    String docs = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/cli.md"));
    String table = docs.substring(docs.indexOf("## Exit codes"));
    List<Integer> codes = new ArrayList<>();
    for (Field f : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        codes.add(f.getInt(null));
      }
    }
    assertThat(codes).hasSizeGreaterThanOrEqualTo(8);
    for (int code : codes) {
      assertThat(help).as("--help lists exit code %d", code).containsPattern("(?m)^  " + code + "  \\S");
      assertThat(table).as("docs/cli.md lists exit code %d", code).containsPattern("(?m)^\\| " + code + " \\|");
    }
  }

  @Test
  void aMalformedTargetIsExitCode2WithTheReason() {
    Map<String, String> env = Map.of("JSYNC_PASSWORD", "a long enough secret");
    assertThat(run(env, "-d", dir.toString(), "-t", "bad:host:99999")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("jsync: target 'bad:host:99999' is malformed ('bad:host:99999' has several"
        + " colons but is not an IPv6 address; an IPv6 address with a port is written [ADDRESS]:PORT): write"
        + " HOST:PORT, [IPv6]:PORT, or just HOST for port 7777, e.g. -t laptop:7777" + System.lineSeparator());
    for (String bad : new String[] {"laptop:70000", "laptop:0", ":7777", "[laptop]:7777"}) {
      err.getBuffer().setLength(0);
      assertThat(run(env, "-d", dir.toString(), "-t", bad)).as(bad).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as(bad).startsWith("jsync: target '" + bad + "' is malformed (");
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void anUnreadablePasswordFileIsNamedOnceWithTheReason() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
    Path file = notAFolder.resolve("secret");
    assertThat(run(Map.of(), "-d", dir.toString(), "--password-file", file.toString())).isEqualTo(ExitCodes.USAGE);
    String line = err.toString();
    assertThat(line).isEqualTo("jsync: cannot read the password file " + file + " (Not a directory): check the path"
        + System.lineSeparator());
    assertThat(line.split(java.util.regex.Pattern.quote(file.toString()), -1)).hasSize(2);
  }

  @Test
  void aShortDurationFormIsAccepted() {
    // 1m30s passes validation and the run stops at the next check: the missing secret.
    assertThat(run(Map.of(), "-d", dir.toString(), "--scan-interval", "1m30s")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).doesNotContain("scan-interval").contains("JSYNC_PASSWORD");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of("JSYNC_PASSWORD", "a long enough secret"), "-d", dir.toString(), "--scan-interval", "1m30"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jsync: --scan-interval '1m30' is not a duration: write e.g. 30s, 5m, 1m30s");
  }

  @Test
  void statusNeedsAFolder() {
    assertThat(run(Map.of(), "status")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jsync status: no folder given");
    assertThat(run(Map.of(), "status", "-d", dir.resolve("nope").toString())).isEqualTo(ExitCodes.FOLDER);
  }
}
