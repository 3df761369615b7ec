package dev.jsync.cli;

import dev.jsync.cli.internal.Cli;

/**
 * The entry point of the {@code jsync} command:
 * {@code jsync -d DIR -t HOST:PORT [-t HOST:PORT ...] -p SECRET}, and {@code jsync status -d DIR}.
 * {@code jsync --help} and {@code docs/cli.md} describe every option and exit code.
 */
public final class Main {

  private Main() {
  }

  /** Runs the command and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(Cli.execute(args));
  }
}
