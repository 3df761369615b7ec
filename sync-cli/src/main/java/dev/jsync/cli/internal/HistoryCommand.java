package dev.jsync.cli.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsync history -d DIR [PATH...] [--json]}: the versions the folder's version store keeps,
 * newest first. Reads the store's files only, so it works whether or not a node runs.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Lists the versions kept of files that changes from peers replaced or deleted, newest first,"
        + " for the whole folder or under the given paths. `jsync restore` puts one back."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  listed (possibly nothing)",
        "  1  the version store could not be read",
        "  2  bad command line",
        "  3  no such folder"})
final class HistoryCommand implements Callable<Integer> {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Spec
  CommandSpec spec;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "The synced folder (required).")
  Path directory;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The node's state folder, if it was given one.")
  Path stateDir;

  @Option(names = "--json", description = "Print one JSON array (path, version, sha256, size, time, reason, by).")
  boolean json;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Files or folders, relative to DIR (or absolute inside it); default: the whole folder.")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    try {
      Path folder = HistoryCommand.folder(directory);
      List<RelativePath> under = new ArrayList<>();
      for (String p : paths) {
        under.add(HistoryPaths.parse(folder, p, "PATH"));
      }
      VersionStore store = VersionStore.open(Folders.stateDir(folder, stateDir), folder, Retention.unlimited(),
          Clock.systemUTC());
      List<Version> versions;
      try {
        versions = under.isEmpty() ? store.list() : store.list(under);
      } catch (IOException e) {
        throw new BadInvocation(ExitCodes.FAILED, "cannot read the version store " + store.directory() + ": "
            + e.getMessage());
      }
      spec.commandLine().getOut().print(json ? json(versions) : table(versions, under.isEmpty()));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (BadInvocation e) {
      spec.commandLine().getErr().println("jsync history: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return e.exitCode();
    }
  }

  /** The folder of {@code -d}, absolute. */
  static Path folder(Path directory) {
    if (directory == null) {
      throw BadInvocation.usage("no folder given: pass -d DIR, the synced folder");
    }
    Path folder = directory.toAbsolutePath().normalize();
    if (!java.nio.file.Files.isDirectory(folder)) {
      throw new BadInvocation(ExitCodes.FOLDER, "folder " + folder + " does not exist: fix the -d path");
    }
    return folder;
  }

  static String json(List<Version> versions) {
    List<Object> out = new ArrayList<>();
    for (Version v : versions) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("path", v.path().toString());
      o.put("version", v.id());
      o.put("sha256", v.sha256());
      o.put("size", v.size());
      o.put("time", v.time().toString());
      o.put("reason", v.reason().label());
      o.put("by", v.by());
      out.add(o);
    }
    return StatusFile.json(out);
  }

  static String table(List<Version> versions, boolean wholeFolder) {
    if (versions.isEmpty()) {
      return wholeFolder ? "no versions kept yet: they are kept when a change from a peer replaces or deletes a file\n"
          : "no versions kept of these paths\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TIME", "SIZE", "REASON", "BY", "VERSION", "PATH"});
    for (Version v : versions) {
      rows.add(new String[] {LOCAL.format(v.time()), Units.bytes(v.size()), v.reason().label(), v.by(), v.id(),
          v.path().toString()});
    }
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
        boolean right = i == 1;
        String pad = " ".repeat(widths[i] - r[i].length());
        line.append(right ? pad + r[i] : r[i] + (i + 1 < r.length ? pad : "")).append(i + 1 < r.length ? "  " : "");
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
