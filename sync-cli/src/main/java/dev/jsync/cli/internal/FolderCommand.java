package dev.jsync.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the commands that work on a synced folder share ({@code status}, {@code peers},
 * {@code forget}, {@code history}, {@code restore}): the {@code -d DIR} and {@code --state-dir}
 * options, finding the folder and its state folder, and one way of failing: a
 * {@link BadInvocation} becomes one line {@code jsync COMMAND: reason} on standard error and
 * its exit code. A subclass does its work in {@link #run}.
 */
abstract class FolderCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "The synced folder (required).")
  Path directory;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The node's state folder, if it was given one.")
  Path stateDir;

  /**
   * The command's work; its output goes to {@code out}.
   *
   * @return the exit code
   * @throws BadInvocation to stop with that message and exit code
   */
  abstract int run(PrintWriter out);

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      int code = run(out);
      out.flush();
      return code;
    } catch (BadInvocation e) {
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println("jsync " + spec.name() + ": " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }

  /** The folder of {@code -d}, absolute. */
  final Path folder() {
    if (directory == null) {
      throw BadInvocation.usage("no folder given: pass -d DIR, the synced folder");
    }
    Path folder = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new BadInvocation(ExitCodes.FOLDER, "folder " + folder + " does not exist: fix the -d path");
    }
    return folder;
  }

  /** The state folder of {@code folder}: {@code --state-dir}, or {@code folder/.jsync}. */
  final Path stateDir(Path folder) {
    return Folders.stateDir(folder, stateDir);
  }

  /** The status file in {@code state}, if there is one. */
  static Optional<StatusSnapshot> readStatus(Path state) {
    try {
      return StatusFile.read(state);
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot read the status file: " + e.getMessage());
    }
  }

  /** The status file in {@code state}, or empty if there is none or it cannot be read (where it is only a help). */
  static Optional<StatusSnapshot> readStatusIfReadable(Path state) {
    try {
      return StatusFile.read(state);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code rows} as a table: each column as wide as its widest cell, two spaces between columns,
   * no trailing spaces; the columns in {@code rightAligned} aligned right.
   */
  static String table(List<String[]> rows, int... rightAligned) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(widths[i] - r[i].length());
        int column = i;
        boolean right = Arrays.stream(rightAligned).anyMatch(c -> c == column);
        line.append(right ? pad + r[i] : r[i] + pad).append("  ");
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
