package dev.jsync.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsync -d DIR -t HOST:PORT -p SECRET}: validates the command line into
 * {@link RunSettings} (printing one line and the exit code if it is wrong) and runs the node.
 * Options are plain strings where jsync's own checks give a clearer message than picocli's.
 */
@Command(
    name = "jsync",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Keeps a folder identical across devices, peer to peer: every device runs jsync on its copy"
            + " of the folder with the same shared secret, and at least one device names the others with -t.",
        "",
        "Give the secret through the JSYNC_PASSWORD environment variable or --password-file: a -p value"
            + " can be seen by other users of this machine in the process list (ps)."},
    // `jsync help [COMMAND]`: picocli's own help command, declared here so that the list of
    // subcommands in Cli stays as it is.
    subcommands = CommandLine.HelpCommand.class,
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  stopped cleanly (SIGTERM or Ctrl-C); help or version printed",
        "  1  failed while running or starting (the log or message says why); a second Ctrl-C",
        "  2  bad command line (unknown option; malformed target, port, duration or --bind; no secret)",
        "  3  folder missing, or not readable and writable; also the JVM's exit when ./jsync runs out of memory",
        "  4  another jsync is already syncing this folder",
        "  5  cannot listen (port in use, or --bind is not an address of this machine)",
        "  6  status: jsync is not running on the folder",
        "  7  status: running, but not in sync with every peer yet",
        "",
        "jsync status -d DIR shows whether the folder is in sync with each peer.",
        "jsync history -d DIR lists what changes from peers replaced or deleted; jsync restore puts it back.",
        "jsync peers -d DIR lists the devices this one knows; jsync forget removes one that is gone for good.",
        "jsync secret prints a strong random shared secret.",
        "jsync help COMMAND shows a command's help.",
        "Documentation: docs/cli.md"})
final class JsyncCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "The folder to sync (required).")
  Path directory;

  @Option(names = {"-t", "--target"}, paramLabel = "HOST[:PORT]",
      description = "A peer to connect to; repeat for several. HOST:PORT, [IPv6]:PORT, or HOST alone for port 7777.")
  List<String> targets = new ArrayList<>();

  @Option(names = {"-p", "--password"}, paramLabel = "SECRET",
      description = "The shared secret. Other users can see it in the process list: prefer JSYNC_PASSWORD"
          + " or --password-file.")
  String password;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the shared secret from FILE: a plain file (not a link) of at most 4 KiB, readable by"
          + " you only; a final newline is ignored.")
  Path passwordFile;

  @Option(names = "--allow-weak-secret",
      description = "Accept a shared secret shorter than 8 characters (a warning is still logged).")
  boolean allowWeakSecret;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "7777",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on (default: all interfaces), e.g. this machine's Tailscale address.")
  String bind;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the index, device key and status go (default: DIR/.jsync, never synced).")
  Path stateDir;

  @Option(names = "--scan-interval", paramLabel = "DURATION",
      description = "Time between full scans, the fallback for changes the watcher missed (default: 60s).")
  String scanInterval;

  @Option(names = "--name", paramLabel = "NAME", description = "This device's name for peers (default: the host name).")
  String name;

  @Option(names = "--tls", paramLabel = "ENGINE",
      description = "TLS implementation: auto (default: OpenSSL where this jar has it, else the JDK's), jdk, openssl.")
  String tls;

  @Mixin
  HistoryFlags history = new HistoryFlags();

  @Option(names = "--names", paramLabel = "MATCHING",
      description = "How the folder's file system compares names: detect (default: found out at start), exact"
          + " (case-sensitive, as ext4), windows (case-insensitive, with Windows' rules on names), macos"
          + " (case- and Unicode-form-insensitive).")
  String names;

  @Option(names = "--watcher", paramLabel = "WATCHER",
      description = "How saves are noticed: auto (default: FSEvents on macOS, the JDK's watch service elsewhere), or"
          + " jdk (the JDK's everywhere; on macOS it polls, so a save is seen up to about 2 s late).")
  String watcher;

  @Mixin
  MergeFlags merge = new MergeFlags();

  @Option(names = {"-v", "--verbose"}, description = "Log debug detail.")
  boolean verbose;

  @Option(names = {"-q", "--quiet"}, description = "Log warnings and errors only.")
  boolean quiet;

  private final Map<String, String> env;

  JsyncCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    StartupTimeline timeline = StartupTimeline.sinceLaunch();
    timeline.mark("JVM and command line");
    try {
      if (verbose && quiet) {
        throw BadInvocation.usage("--verbose and --quiet contradict each other: give one");
      }
      dev.jsync.core.history.Retention retention = history.retention();
      dev.jsync.core.merge.MergeableFiles mergeable = merge.mergeable();
      RunSettings settings = RunSettings.validate(new RunSettings.Given(directory, targets, password, passwordFile,
          port, bind, stateDir, scanInterval, name, tls, allowWeakSecret), env);
      dev.jsync.core.NameMatching matching = NamesFlag.parse(names); // refused before anything starts
      Watchers.Choice watching = Watchers.parse(watcher);
      Logging.apply(quiet ? Logging.Verbosity.QUIET : verbose ? Logging.Verbosity.VERBOSE : Logging.Verbosity.NORMAL);
      LocaleCheck.warning().ifPresent(w -> LoggerFactory.getLogger(JsyncCommand.class).warn("{}", w));
      SecretStrength.warning(settings.secret()).ifPresent(w -> LoggerFactory.getLogger(JsyncCommand.class).warn("{}", w));
      timeline.mark("settings");
      return NodeRunner.run(settings, retention, mergeable, ProgressConsole.stderr(), !quiet, matching, watching,
          timeline);
    } catch (BadInvocation e) {
      spec.commandLine().getErr().println("jsync: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return e.exitCode();
    }
  }

  /** Reads the version from the jar manifest. */
  static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.text()};
    }
  }
}
