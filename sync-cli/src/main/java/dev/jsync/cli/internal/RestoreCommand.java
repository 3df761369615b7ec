package dev.jsync.cli.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jsync restore -d DIR PATH [--version ID] [--to OTHER_PATH]}: writes kept versions back
 * into the folder as ordinary local changes (each file atomically, what it overwrites kept as a
 * version first). A node running on the folder sees the change at once through its watcher (or
 * its next scan); one that is not running sees it at its next start. Either way it syncs to every
 * peer and causally follows what it replaced, so it causes no conflict.
 */
// Not mixinStandardHelpOptions: its -V/--version would clash with --version ID, and picocli
// then drops -h/--help as well. -h/--help is declared below instead.
@Command(
    name = "restore",
    usageHelpAutoWidth = true,
    description = {"Puts back a kept version of a file (the newest unless --version is given), or, for a folder,"
        + " every file removed under it that is still missing, as it was when it was removed.",
        "The restored files sync to every device as a normal change."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  restored (or already as asked)",
        "  1  writing failed, or the kept content is damaged or gone",
        "  2  bad command line, or nothing to restore at PATH",
        "  3  no such folder"})
final class RestoreCommand extends FolderCommand {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--version", paramLabel = "ID", description = "The version to restore, as `jsync history` lists it.")
  String version;

  @Option(names = "--to", paramLabel = "OTHER_PATH",
      description = "Write it there instead (relative to DIR); a folder's files keep their places under it.")
  String to;

  @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to restore, relative to DIR.")
  String path;

  @Override
  int run(PrintWriter out) {
    Path folder = folder();
    RelativePath target = HistoryPaths.parse(folder, path, "PATH");
    Optional<RelativePath> other = to == null ? Optional.empty() : Optional.of(HistoryPaths.parse(folder, to, "--to"));
    Path state = stateDir(folder);
    VersionStore store = VersionStore.open(state, folder, Retention.unlimited(), Clock.systemUTC());
    List<VersionStore.Restored> done;
    try {
      done = store.restore(target, Optional.ofNullable(version), other, deviceName(state));
    } catch (IllegalArgumentException e) {
      throw BadInvocation.usage(e.getMessage());
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot restore " + target + ": " + e.getMessage());
    }
    if (done.isEmpty()) {
      out.println(target + " already holds that version: nothing to do");
    }
    for (VersionStore.Restored r : done) {
      out.println("restored " + r.to() + " (version " + r.version().id() + ", " + r.version().reason().label()
          + " by " + r.version().by() + ", " + Units.bytes(r.version().size()) + ")");
    }
    return ExitCodes.OK;
  }

  /** This device's name, as the node last reported it, for the record of what a restore overwrites. */
  private static String deviceName(Path state) {
    return readStatusIfReadable(state).map(StatusSnapshot::deviceName).orElseGet(() -> HostName.get(System.getenv()));
  }
}
