package dev.jsync.cli.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class HistoryCommand extends FolderCommand {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Option(names = "--json", description = "Print one JSON array (path, version, sha256, size, time, reason, by).")
  boolean json;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Files or folders, relative to DIR (or absolute inside it); default: the whole folder.")
  List<String> paths = new ArrayList<>();

  @Override
  int run(PrintWriter out) {
    Path folder = folder();
    List<RelativePath> under = new ArrayList<>();
    for (String p : paths) {
      under.add(HistoryPaths.parse(folder, p, "PATH"));
    }
    VersionStore store = VersionStore.open(stateDir(folder), folder, Retention.unlimited(), Clock.systemUTC());
    List<Version> versions;
    try {
      versions = under.isEmpty() ? store.list() : store.list(under);
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot read the version store " + store.directory() + ": "
          + e.getMessage());
    }
    out.print(json ? json(versions) : table(versions, under.isEmpty()));
    return ExitCodes.OK;
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
    return table(rows, 1); // sizes aligned right
  }
}
