package dev.jsync.cli.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsync restore -d DIR PATH [--version ID] [--to OTHER_PATH]}: writes kept versions back
 * into the folder as ordinary local changes (each file atomically, what it overwrites kept as a
 * version first). A node running on the folder sees the change at once through its watcher (or
 * its next scan); one that is not running sees it at its next start. Either way it syncs to every
 * peer and causally follows what it replaced, so it causes no conflict.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
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
final class RestoreCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "The synced folder (required).")
  Path directory;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The node's state folder, if it was given one.")
  Path stateDir;

  @Option(names = "--version", paramLabel = "ID", description = "The version to restore, as `jsync history` lists it.")
  String version;

  @Option(names = "--to", paramLabel = "OTHER_PATH",
      description = "Write it there instead (relative to DIR); a folder's files keep their places under it.")
  String to;

  @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to restore, relative to DIR.")
  String path;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try {
      Path folder = HistoryCommand.folder(directory);
      RelativePath target = HistoryPaths.parse(folder, path, "PATH");
      Optional<RelativePath> other = to == null ? Optional.empty() : Optional.of(HistoryPaths.parse(folder, to, "--to"));
      Path state = Folders.stateDir(folder, stateDir);
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
      out.flush();
      return ExitCodes.OK;
    } catch (BadInvocation e) {
      spec.commandLine().getErr().println("jsync restore: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return e.exitCode();
    }
  }

  /** This device's name, as the node last reported it, for the record of what a restore overwrites. */
  private static String deviceName(Path state) {
    try {
      Optional<StatusSnapshot> s = StatusFile.read(state);
      if (s.isPresent()) {
        return s.get().deviceName();
      }
    } catch (IOException e) {
      // fall back to the host name
    }
    return HostName.get(System.getenv());
  }
}
