package dev.jsync.cli.internal;

import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code jsync} command line: {@link JsyncCommand} with {@link StatusCommand} as
 * {@code status} and {@link SecretCommand} as {@code secret}, and picocli's errors shortened to
 * the one line jsync prints for every bad invocation.
 */
public final class Cli {

  private Cli() {
  }

  /** Runs {@code jsync} with {@code args} and returns the exit code (after the node stopped, for a run). */
  public static int execute(String... args) {
    return commandLine(System.getenv()).execute(args);
  }

  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new JsyncCommand(env));
    cl.addSubcommand("status", new StatusCommand());
    cl.addSubcommand("secret", new SecretCommand());
    cl.addSubcommand("history", new HistoryCommand());
    cl.addSubcommand("restore", new RestoreCommand());
    cl.addSubcommand("peers", new PeersCommand());
    cl.addSubcommand("forget", new ForgetCommand());
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see "
          + c.getCommandSpec().qualifiedName() + " --help)");
      c.getErr().flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      c.getErr().println(c.getCommandSpec().qualifiedName() + ": unexpected error: " + e);
      c.getErr().flush();
      org.slf4j.LoggerFactory.getLogger(Cli.class).debug("unexpected error", e);
      return ExitCodes.FAILED;
    });
    return cl;
  }
}
