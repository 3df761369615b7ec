package dev.jsync.cli.internal;

import dev.jsync.core.ConflictCopies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jsync status -d DIR}: whether a node runs on the folder and how it stands with each
 * peer, read from the status file the node keeps (the node holds the index locked, so this never
 * opens it). Reads files; touches nothing.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Shows whether jsync is running on a folder and whether the folder is in sync with each peer.",
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  running, and in sync with every peer",
        "  1  the status file cannot be read",
        "  2  bad command line",
        "  3  no such folder",
        "  6  not running (the last known status is shown)",
        "  7  running, not in sync yet"})
final class StatusCommand extends FolderCommand {

  @Option(names = {"-v", "--verbose"}, description = "Also list the conflict copies in the folder.")
  boolean verbose;

  @Override
  int run(PrintWriter out) {
    Path folder = folder();
    Path state = stateDir(folder);
    Optional<StatusSnapshot> snapshot = readStatus(state);
    if (snapshot.isEmpty()) {
      out.println("jsync has not run on " + folder + " (no " + state.resolve(StatusFile.FILE_NAME) + ")");
      return ExitCodes.NOT_RUNNING;
    }
    StatusSnapshot s = snapshot.get();
    boolean running = isRunning(s);
    out.print(StatusReport.format(s, running, Instant.now()));
    out.print(StatusReport.conflictCopies(conflictCopies(folder, state), verbose));
    out.print(HistoryStatus.line(state, folder));
    return !running ? ExitCodes.NOT_RUNNING : s.inSync() ? ExitCodes.OK : ExitCodes.NOT_IN_SYNC;
  }

  /**
   * The conflict copies under {@code folder} (names as {@link ConflictCopies} makes them), as
   * relative paths with {@code /}, sorted; the state folder is skipped. Reads the folder tree.
   */
  static List<String> conflictCopies(Path folder, Path state) {
    List<String> found = new ArrayList<>();
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return dir.equals(state) || dir.equals(folder.resolve(".jsync")) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString();
          if (name.endsWith(ConflictCopies.EXTENSION) && name.contains(ConflictCopies.MARKER)) {
            found.add(folder.relativize(file).toString().replace(java.io.File.separatorChar, '/'));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // unreadable: not counted
        }
      });
    } catch (IOException e) {
      // The walk itself failed at the top: nothing to count.
    }
    found.sort(null);
    return found;
  }

  /**
   * Whether the process that wrote {@code s} is alive. Its start time is compared too, so a
   * process id reused by another program after a crash does not count.
   */
  static boolean isRunning(StatusSnapshot s) {
    Optional<ProcessHandle> p = ProcessHandle.of(s.pid()).filter(ProcessHandle::isAlive);
    if (p.isEmpty()) {
      return false;
    }
    Optional<Instant> started = p.get().info().startInstant();
    if (started.isEmpty() || s.processStart().isEmpty()) {
      return true;
    }
    return Duration.between(started.get(), s.processStart().get()).abs().compareTo(Duration.ofSeconds(2)) < 0;
  }
}
