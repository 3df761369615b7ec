package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: parsing and validation, up to (not including) starting a node. */
class CliTest {

  @TempDir
  Path dir;

  private final InProcessCli cli = new InProcessCli();

  /** Runs {@code jsync -d DIR args...} with a long enough secret in the environment. */
  private int runOnDir(String... args) {
    List<String> all = new ArrayList<>(List.of("-d", dir.toString()));
    all.addAll(List.of(args));
    return cli.run(Map.of("JSYNC_PASSWORD", "a long enough secret"), all.toArray(String[]::new));
  }

  @Test
  void versionAndHelp() {
    assertThat(cli.run("--version")).isZero();
    assertThat(cli.out()).startsWith("jsync ");
    assertThat(cli.run("status", "--help")).isZero();
    assertThat(cli.out()).contains("Exit codes", "7  running, not in sync yet");
  }

  @Test
  void everyCommandTakesHelpAsAnOptionWhateverElseIsGiven() {
    // Error messages say "see jsync COMMAND --help": that must work, even for restore, whose
    // --version is its own option (the version to restore), not the program's version.
    for (List<String> args : List.of(List.of("status"), List.of("history"), List.of("restore"),
        List.of("restore", "-d", "/tmp", "plan.md"), List.of("peers"), List.of("forget"), List.of("secret"))) {
      List<String> withHelp = new java.util.ArrayList<>(args);
      withHelp.add("--help");
      assertThat(cli.run(withHelp.toArray(String[]::new))).as("%s: %s", withHelp, cli.err()).isZero();
      assertThat(cli.out()).as("%s", withHelp).startsWith("Usage: jsync " + args.get(0));
    }
    assertThat(cli.run("restore", "-h")).isZero();
    assertThat(cli.out()).startsWith("Usage: jsync restore").contains("--version=ID", "-h, --help");
  }

  @Test
  void picocliErrorsBecomeOneLine() {
    assertThat(cli.run("--no-such-flag")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).isEqualTo("jsync: Unknown option: '--no-such-flag' (see jsync --help)"
        + System.lineSeparator());
    assertThat(cli.run("-d", dir.toString(), "--port", "many")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().strip()).startsWith("jsync: Invalid value for option '--port'").doesNotContain("\n");
  }

  @Test
  void validationErrorsPrintOneLineWithTheirExitCode() {
    assertThat(runOnDir("-v", "-q")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("contradict");
    assertThat(runOnDir("--port", "70000"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --port 70000 is not between 0 and 65535");
    assertThat(runOnDir("--scan-interval", "200ms"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("shorter than 1s");
    assertThat(runOnDir("--bind", "no.such.host.invalid"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--bind 'no.such.host.invalid'");
    assertThat(runOnDir("--tls", "gnutls")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --tls gnutls is not one of auto, jdk, openssl");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void helpCommandPrintsTheHelpOfTheCommandNamed() {
    assertThat(cli.run("help")).isZero();
    assertThat(cli.out()).startsWith("Usage: jsync ").contains("Exit codes:", "jsync help COMMAND");
    assertThat(cli.run("help", "status")).isZero();
    assertThat(cli.out()).startsWith("Usage: jsync status ").contains("7  running, not in sync yet");
    assertThat(cli.run("help", "secret")).isZero();
    assertThat(cli.out()).startsWith("Usage: jsync secret ");
    assertThat(cli.run("help", "nosuch")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Unknown subcommand 'nosuch'");
  }

  @Test
  void everyCommandsHelpFormatsWithoutAWarning() {
    // picocli reports a text it cannot format (a lone % in a description) on System.err.
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command : List.of("jsync", "status", "secret", "history", "restore", "peers", "forget")) {
        assertThat(command.equals("jsync") ? cli.run("--help") : cli.run("help", command))
            .as(command).isZero();
        assertThat(cli.out()).as(command).startsWith("Usage: jsync");
      }
    } finally {
      System.setErr(before);
    }
    assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void everyExitCodeIsListedInTheHelpAndInTheDocs() throws Exception {
    assertThat(cli.run("--help")).isZero();
    String help = cli.out();
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
    assertThat(runOnDir("-t", "bad:host:99999")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).isEqualTo("jsync: target 'bad:host:99999' is malformed ('bad:host:99999' has several"
        + " colons but is not an IPv6 address; an IPv6 address with a port is written [ADDRESS]:PORT): write"
        + " HOST:PORT, [IPv6]:PORT, or just HOST for port 7777, e.g. -t laptop:7777" + System.lineSeparator());
    for (String bad : new String[] {"laptop:70000", "laptop:0", ":7777", "[laptop]:7777"}) {
      assertThat(runOnDir("-t", bad)).as(bad).isEqualTo(ExitCodes.USAGE);
      assertThat(cli.err()).as(bad).startsWith("jsync: target '" + bad + "' is malformed (");
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void anUnreadablePasswordFileIsNamedOnceWithTheReason() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
    Path file = notAFolder.resolve("secret");
    assertThat(cli.run("-d", dir.toString(), "--password-file", file.toString())).isEqualTo(ExitCodes.USAGE);
    String line = cli.err();
    assertThat(line).isEqualTo("jsync: cannot read the password file " + file + " (Not a directory): check the path"
        + System.lineSeparator());
    assertThat(line.split(java.util.regex.Pattern.quote(file.toString()), -1)).hasSize(2);
  }

  @Test
  void aShortDurationFormIsAccepted() {
    // 1m30s passes validation and the run stops at the next check: the missing secret.
    assertThat(cli.run("-d", dir.toString(), "--scan-interval", "1m30s")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).doesNotContain("scan-interval").contains("JSYNC_PASSWORD");
    assertThat(runOnDir("--scan-interval", "1m30"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --scan-interval '1m30' is not a duration: write e.g. 30s, 5m, 1m30s");
  }

  @Test
  void statusNeedsAFolder() {
    assertThat(cli.run("status")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync status: no folder given");
    assertThat(cli.run("status", "-d", dir.resolve("nope").toString())).isEqualTo(ExitCodes.FOLDER);
  }
}
