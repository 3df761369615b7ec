package dev.jsync.cli.internal;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jsync peers -d DIR [--json]}: the devices this one knows (every device it has exchanged
 * an index with), each with when it was last seen. Read from the status file the node keeps, as
 * {@code jsync status} does, so it works whether or not a node runs. Reads files; touches nothing.
 */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Lists the devices this one knows, with when each was last seen (a connection to it began"
        + " or ended). `jsync forget` removes one that is gone for good."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  listed (possibly nothing)",
        "  1  the status file cannot be read",
        "  2  bad command line",
        "  3  no such folder"})
final class PeersCommand extends FolderCommand {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Option(names = "--json", description = "Print one JSON array (id, shortId, name, connected, lastSeen).")
  boolean json;

  @Override
  int run(PrintWriter out) {
    Optional<StatusSnapshot> status = readStatus(stateDir(folder()));
    boolean running = status.map(StatusCommand::isRunning).orElse(false);
    List<StatusSnapshot.Peer> peers = status.map(StatusSnapshot::peers).orElse(List.of());
    out.print(json ? json(peers, running) : table(peers, running, status.isPresent()));
    return ExitCodes.OK;
  }

  static String json(List<StatusSnapshot.Peer> peers, boolean running) {
    List<Object> out = new ArrayList<>();
    for (StatusSnapshot.Peer p : peers) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", p.id());
      o.put("shortId", p.shortId());
      o.put("name", p.name());
      o.put("connected", running && p.connected());
      o.put("lastSeen", p.lastSeen().map(Instant::toString).orElse(null));
      out.add(o);
    }
    return StatusFile.json(out);
  }

  static String table(List<StatusSnapshot.Peer> peers, boolean running, boolean everRan) {
    if (peers.isEmpty()) {
      return everRan ? "no known devices: none has connected yet\n"
          : "no known devices: jsync has not run on this folder yet\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "ID", "LAST SEEN"});
    for (StatusSnapshot.Peer p : peers) {
      String seen = running && p.connected() ? "connected now"
          : p.lastSeen().map(LOCAL::format).orElse("unknown");
      rows.add(new String[] {p.name().isEmpty() ? "?" : p.name(), p.shortId(), seen});
    }
    return table(rows);
  }
}
