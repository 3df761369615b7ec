package dev.jsync.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link StatusSnapshot} as {@code jsync status} shows it: a summary, then one row per peer. Stateless. */
final class StatusReport {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private StatusReport() {
  }

  static String format(StatusSnapshot s, boolean running, Instant now) {
    StringBuilder b = new StringBuilder();
    String device = s.deviceName() + " (" + s.deviceId().substring(0, Math.min(7, s.deviceId().length())) + ")";
    if (running) {
      b.append("jsync is running on ").append(s.folder()).append(" (pid ").append(s.pid()).append(") as ")
          .append(device).append(", listening on ").append(s.listen()).append('\n');
    } else {
      b.append("jsync is NOT running on ").append(s.folder()).append(" (last run: pid ").append(s.pid())
          .append(", as ").append(device).append("); last known status:\n");
    }
    String ago = Units.duration(Duration.between(s.updated(), now)) + " ago";
    b.append(summary(s, running)).append(" (last change ").append(TIME.format(s.updated())).append(", ")
        .append(ago).append(")\n");
    if (s.filesMerged() > 0) {
      b.append("merged concurrent edits of ").append(Units.count(s.filesMerged(), "note", "notes"))
          .append(" since the node started, with no conflict copy\n");
    }
    if (s.peers().isEmpty()) {
      b.append(s.targets().isEmpty() ? "no peer has connected yet, and no -t targets are set: waiting for peers to"
          + " connect\n" : "no peer has connected yet; dialing " + String.join(", ", s.targets()) + "\n");
      unreached(b, s, running);
      return b.toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PEER", "ID", "CONNECTED", "TO FETCH", "IN SYNC"});
    for (StatusSnapshot.Peer p : s.peers()) {
      rows.add(new String[] {p.name().isEmpty() ? "?" : p.name(), p.shortId(),
          running && p.connected() ? "yes" : running && !p.problem().isEmpty() ? "no (" + p.problem() + ")" : "no",
          p.filesNeeded() == 0 ? "nothing" : Units.count(p.filesNeeded(), "file", "files") + ", "
              + Units.bytes(p.bytesNeeded()),
          running && p.inSync() ? "yes" : "no"});
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]).append(" ".repeat(i + 1 < r.length ? widths[i] - r[i].length() + 2 : 0));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    if (!s.nameProblems().isEmpty()) {
      b.append(Units.count(s.nameProblems().size(), "path", "paths"))
          .append(" of the peers' this folder's file system cannot hold (docs/filesystems.md):\n");
      for (String problem : s.nameProblems()) {
        b.append("  ").append(problem).append('\n');
      }
    }
    unreached(b, s, running);
    return b.toString();
  }

  /** One line per address that could not be connected, and why; only while the node runs. */
  private static void unreached(StringBuilder b, StatusSnapshot s, boolean running) {
    if (!running) {
      return;
    }
    for (StatusSnapshot.Unreached u : s.unreached()) {
      b.append("cannot connect to ").append(u.address()).append(": ").append(u.problem().isEmpty() ? "failed"
          : u.problem());
      if (!u.detail().isEmpty()) {
        b.append(" (").append(u.detail()).append(')');
      }
      b.append('\n');
    }
  }

  /**
   * The conflict copies in the folder: how many, and with {@code verbose} their paths. A copy is
   * a file that lost a conflict (docs/conflicts.md); it stays until someone deletes it.
   */
  static String conflictCopies(List<String> paths, boolean verbose) {
    if (paths.isEmpty()) {
      return "no conflict copies\n";
    }
    StringBuilder b = new StringBuilder(Units.count(paths.size(), "conflict copy", "conflict copies"))
        .append(" in the folder");
    if (!verbose) {
      return b.append(" (jsync status --verbose lists them)\n").toString();
    }
    b.append(":\n");
    for (String p : paths) {
      b.append("  ").append(p).append('\n');
    }
    return b.toString();
  }

  private static String summary(StatusSnapshot s, boolean running) {
    if (running && s.inSync()) {
      return "in sync with every peer";
    }
    if (s.filesNeeded() > 0) {
      return "not in sync: " + Units.count(s.filesNeeded(), "path", "paths") + " to fetch";
    }
    long down = s.peers().stream().filter(p -> !running || !p.connected()).count();
    if (down > 0) {
      return "not in sync: " + Units.count(down, "peer is", "peers are") + " not connected";
    }
    return s.peers().isEmpty() ? "not in sync: no peer yet" : "not in sync yet: reading the peers' indexes";
  }
}
