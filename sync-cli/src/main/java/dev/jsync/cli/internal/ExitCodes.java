package dev.jsync.cli.internal;

/**
 * The exit codes of {@code jsync}; {@code docs/cli.md} lists them for users, so change both
 * together. Codes 0 to 5 are shared by every command; 6 and 7 are answers of {@code status}.
 */
public final class ExitCodes {

  /** Stopped cleanly (a signal or Ctrl-C), or help/version printed; {@code status}: running and in sync. */
  public static final int OK = 0;

  /** Failed while running, for a reason not covered below (the log says which). */
  public static final int FAILED = 1;

  /** The command line is wrong: unknown flag, malformed target, port or interval, no secret. */
  public static final int USAGE = 2;

  /** The folder (or state folder) is missing, not a folder, or not readable and writable. */
  public static final int FOLDER = 3;

  /** Another jsync process is already syncing this folder (its state folder is locked). */
  public static final int IN_USE = 4;

  /** Cannot listen: the port is in use, or the bind address is not one of this machine's. */
  public static final int NETWORK = 5;

  /** {@code status}: no jsync is running on the folder (the last known status is shown, if any). */
  public static final int NOT_RUNNING = 6;

  /** {@code status}: jsync is running but not in sync with every peer yet. */
  public static final int NOT_IN_SYNC = 7;

  private ExitCodes() {
  }
}
