package dev.jsync.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code jsync} commands in this JVM, as {@link Cli} builds them, and keeps what the last
 * one printed on standard output and standard error.
 */
final class InProcessCli {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code jsync args...} with an empty environment; returns its exit code. */
  int run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs {@code jsync args...} with {@code env} as its environment; returns its exit code. */
  int run(Map<String, String> env, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Cli.commandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  /** What the last command printed on standard output. */
  String out() {
    return out.toString();
  }

  /** What the last command printed on standard error. */
  String err() {
    return err.toString();
  }
}
