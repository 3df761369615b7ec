package dev.jsync.cli.internal;

/**
 * Why {@code jsync} cannot run as invoked: a one-line message that says what is wrong and how to
 * fix it, and the exit code to leave with. Thrown before anything is written to disk.
 */
final class BadInvocation extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  BadInvocation(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  static BadInvocation usage(String message) {
    return new BadInvocation(ExitCodes.USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
