package dev.jsync.cli.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.PeerStatus;
import dev.jsync.core.SyncStatus;
import dev.jsync.core.transport.ConnectionFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the status file says: who wrote it (process id and start time, so that {@code status}
 * can tell a live node from a dead one whose id was reused), the device, and where it stands
 * with each peer. Immutable. {@code docs/cli.md} documents the JSON form; bump {@link #FORMAT}
 * when a field changes meaning.
 *
 * @param updated when the node wrote this
 * @param pid the writing process
 * @param processStart when that process started, if the OS says
 * @param folder the synced folder
 * @param deviceId this device's full id
 * @param deviceName this device's name
 * @param listen the address the node listens on
 * @param targets the peer addresses it dials
 * @param localSequence the local index's last sequence number: it grows with every change recorded
 * @param filesNeeded paths still to fetch from any peer
 * @param inSync connected to at least one peer, and in sync with every known one
 * @param peers one entry per peer ever seen
 * @param nameProblems one line per peer's path this folder's file system cannot hold (a case
 *     variant of a path here, a name the platform forbids), naming both paths of a collision
 * @param filesMerged concurrent edits of notes merged since the node started (docs/conflicts.md)
 * @param unreached addresses that could not be connected since their last link, and why
 */
record StatusSnapshot(Instant updated, long pid, Optional<Instant> processStart, String folder, String deviceId,
    String deviceName, String listen, List<String> targets, long localSequence, long filesNeeded, boolean inSync,
    List<Peer> peers, List<String> nameProblems, long filesMerged, List<Unreached> unreached) {

  /** A snapshot with no failed addresses. */
  StatusSnapshot(Instant updated, long pid, Optional<Instant> processStart, String folder, String deviceId,
      String deviceName, String listen, List<String> targets, long localSequence, long filesNeeded, boolean inSync,
      List<Peer> peers, List<String> nameProblems, long filesMerged) {
    this(updated, pid, processStart, folder, deviceId, deviceName, listen, targets, localSequence, filesNeeded, inSync,
        peers, nameProblems, filesMerged, List.of());
  }

  /** A snapshot with no merges counted and no failed addresses. */
  StatusSnapshot(Instant updated, long pid, Optional<Instant> processStart, String folder, String deviceId,
      String deviceName, String listen, List<String> targets, long localSequence, long filesNeeded, boolean inSync,
      List<Peer> peers, List<String> nameProblems) {
    this(updated, pid, processStart, folder, deviceId, deviceName, listen, targets, localSequence, filesNeeded, inSync,
        peers, nameProblems, 0);
  }

  /** A snapshot with no name problems and no failed addresses. */
  StatusSnapshot(Instant updated, long pid, Optional<Instant> processStart, String folder, String deviceId,
      String deviceName, String listen, List<String> targets, long localSequence, long filesNeeded, boolean inSync,
      List<Peer> peers, long filesMerged) {
    this(updated, pid, processStart, folder, deviceId, deviceName, listen, targets, localSequence, filesNeeded, inSync,
        peers, List.of(), filesMerged);
  }

  static final int FORMAT = 1;

  StatusSnapshot {
    targets = List.copyOf(targets);
    peers = List.copyOf(peers);
    nameProblems = List.copyOf(nameProblems);
    unreached = List.copyOf(unreached);
  }

  /** A snapshot with no name problems, no merges counted and no failed addresses. */
  StatusSnapshot(Instant updated, long pid, Optional<Instant> processStart, String folder, String deviceId,
      String deviceName, String listen, List<String> targets, long localSequence, long filesNeeded, boolean inSync,
      List<Peer> peers) {
    this(updated, pid, processStart, folder, deviceId, deviceName, listen, targets, localSequence, filesNeeded,
        inSync, peers, List.of(), 0);
  }

  /**
   * One peer.
   *
   * @param inSync connected, nothing to fetch from it, and its whole index read
   * @param lastSeen when a connection to it last began or ended, as far as this device knows
   *     (remembered across runs); empty if never in a run that kept it
   * @param problem while not connected, why in a word or two ({@link #problemWords}); empty if unknown
   * @param problemDetail the details of that
   */
  record Peer(String id, String name, boolean connected, long filesNeeded, long bytesNeeded, boolean inSync,
      Optional<Instant> lastSeen, String problem, String problemDetail) {

    Peer(String id, String name, boolean connected, long filesNeeded, long bytesNeeded, boolean inSync) {
      this(id, name, connected, filesNeeded, bytesNeeded, inSync, Optional.empty(), "", "");
    }

    Peer(String id, String name, boolean connected, long filesNeeded, long bytesNeeded, boolean inSync,
        Optional<Instant> lastSeen) {
      this(id, name, connected, filesNeeded, bytesNeeded, inSync, lastSeen, "", "");
    }

    Peer(String id, String name, boolean connected, long filesNeeded, long bytesNeeded, boolean inSync,
        String problem, String problemDetail) {
      this(id, name, connected, filesNeeded, bytesNeeded, inSync, Optional.empty(), problem, problemDetail);
    }

    String shortId() {
      return id.substring(0, Math.min(DeviceId.SHORT_LENGTH, id.length()));
    }
  }

  /**
   * An address whose last connection attempt failed.
   *
   * @param peer the full id of the device known to be there; empty if none is known
   */
  record Unreached(String address, String peer, String problem, String detail) {
  }

  /** A reason as {@code status} shows it. */
  static String problemWords(DisconnectReason reason) {
    return switch (reason) {
      case REFUSED -> "refused";
      case UNREACHABLE -> "unreachable";
      case AUTHENTICATION_FAILED -> "wrong secret";
      case OTHER_VERSION -> "other version";
      case CLOSED -> "closed";
      case LOST -> "connection lost";
      case PROTOCOL_ERROR -> "protocol error";
      case REPLACED -> "";
    };
  }

  /** A snapshot of {@code status}; peers that have not connected in this process get their name from {@code names}. */
  static StatusSnapshot of(SyncStatus status, Instant now, NodeFacts facts, Map<String, String> names) {
    return of(status, now, facts, names, Map.of());
  }

  /** As above, with when each peer was last seen, by full id. */
  static StatusSnapshot of(SyncStatus status, Instant now, NodeFacts facts, Map<String, String> names,
      Map<String, Instant> lastSeen) {
    List<Peer> peers = new ArrayList<>();
    for (PeerStatus p : status.peers()) {
      String id = p.peer().toString();
      String name = p.name().isEmpty() ? names.getOrDefault(id, "") : p.name();
      peers.add(new Peer(id, name, p.connected(), p.filesNeeded(), p.bytesNeeded(), p.inSync(),
          Optional.ofNullable(lastSeen.get(id)), p.problem().map(StatusSnapshot::problemWords).orElse(""),
          p.problemDetail()));
    }
    List<Unreached> unreached = new ArrayList<>();
    for (ConnectionFailure f : status.unreached()) {
      unreached.add(new Unreached(f.address(), f.peer().map(DeviceId::toString).orElse(""), problemWords(f.reason()),
          f.detail()));
    }
    return new StatusSnapshot(now, facts.pid(), facts.processStart(), facts.folder(), status.device().toString(),
        facts.deviceName(), facts.listen(), facts.targets(), status.localSequence(), status.filesNeeded(), status.inSync(),
        peers, status.nameProblems().stream().map(dev.jsync.core.NameProblem::line).toList(), status.filesMerged(),
        unreached);
  }

  /** The parts of a snapshot that do not change while a node runs. */
  record NodeFacts(long pid, Optional<Instant> processStart, String folder, String deviceName, String listen,
      List<String> targets) {
  }

  /** This snapshot without the peer of full id {@code id} (after {@code jsync forget}). */
  StatusSnapshot withoutPeer(String id) {
    return new StatusSnapshot(updated, pid, processStart, folder, deviceId, deviceName, listen, targets, localSequence,
        filesNeeded, inSync, peers.stream().filter(p -> !p.id().equals(id)).toList(), nameProblems,
        filesMerged, unreached.stream().filter(u -> !u.peer().equals(id)).toList());
  }

  /** Whether anything but the time differs. */
  boolean sameStateAs(StatusSnapshot o) {
    return o != null && equals(new StatusSnapshot(updated, o.pid, o.processStart, o.folder, o.deviceId,
        o.deviceName, o.listen, o.targets, o.localSequence, o.filesNeeded, o.inSync, o.peers, o.nameProblems,
        o.filesMerged, o.unreached));
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("updated", updated.toString());
    m.put("pid", pid);
    m.put("processStart", processStart.map(Instant::toString).orElse(null));
    m.put("folder", folder);
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("id", deviceId);
    device.put("name", deviceName);
    m.put("device", device);
    m.put("listen", listen);
    m.put("targets", targets);
    m.put("localSequence", localSequence);
    m.put("filesNeeded", filesNeeded);
    m.put("inSync", inSync);
    List<Object> ps = new ArrayList<>();
    for (Peer p : peers) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", p.id());
      e.put("shortId", p.shortId());
      e.put("name", p.name());
      e.put("connected", p.connected());
      e.put("filesNeeded", p.filesNeeded());
      e.put("bytesNeeded", p.bytesNeeded());
      e.put("inSync", p.inSync());
      e.put("lastSeen", p.lastSeen().map(Instant::toString).orElse(null));
      e.put("problem", p.problem());
      e.put("problemDetail", p.problemDetail());
      ps.add(e);
    }
    m.put("peers", ps);
    m.put("nameProblems", nameProblems);
    m.put("filesMerged", filesMerged);
    List<Object> us = new ArrayList<>();
    for (Unreached u : unreached) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("address", u.address());
      e.put("peer", u.peer());
      e.put("problem", u.problem());
      e.put("detail", u.detail());
      us.add(e);
    }
    m.put("unreached", us);
    return m;
  }

  /** @throws IllegalArgumentException if {@code json} is not a status of a format this version reads */
  static StatusSnapshot fromJson(Object json) {
    Map<?, ?> m = map(json);
    long format = num(m, "format");
    if (format != FORMAT) {
      throw new IllegalArgumentException("status format " + format + " (this jsync reads format " + FORMAT + ")");
    }
    Map<?, ?> device = map(m.get("device"));
    List<Unreached> unreached = new ArrayList<>();
    if (m.get("unreached") != null) { // written by jsync versions that know it
      for (Object o : list(m.get("unreached"))) {
        Map<?, ?> u = map(o);
        unreached.add(new Unreached(str(u, "address"), optStr(u, "peer"), optStr(u, "problem"), optStr(u, "detail")));
      }
    }
    List<String> targets = new ArrayList<>();
    for (Object o : list(m.get("targets"))) {
      targets.add(String.valueOf(o));
    }
    List<String> nameProblems = new ArrayList<>();
    if (m.get("nameProblems") != null) { // absent in the files of earlier versions
      for (Object o : list(m.get("nameProblems"))) {
        nameProblems.add(String.valueOf(o));
      }
    }
    Object start = m.get("processStart");
    try {
      List<Peer> peers = new ArrayList<>();
      for (Object o : list(m.get("peers"))) {
        Map<?, ?> p = map(o);
        // Absent in files written before it was added (same format: new fields may be added).
        Object seen = p.get("lastSeen");
        peers.add(new Peer(str(p, "id"), str(p, "name"), bool(p, "connected"), num(p, "filesNeeded"),
            num(p, "bytesNeeded"), bool(p, "inSync"),
            seen == null ? Optional.empty() : Optional.of(Instant.parse(seen.toString())), optStr(p, "problem"),
            optStr(p, "problemDetail")));
      }
      return new StatusSnapshot(Instant.parse(str(m, "updated")), num(m, "pid"),
          start == null ? Optional.empty() : Optional.of(Instant.parse(start.toString())), str(m, "folder"),
          str(device, "id"), str(device, "name"), str(m, "listen"), targets, num(m, "localSequence"), num(m, "filesNeeded"),
          bool(m, "inSync"), peers, nameProblems, m.containsKey("filesMerged") ? num(m, "filesMerged") : 0,
          unreached);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("bad time in the status file: " + e.getMessage(), e);
    }
  }

  private static Map<?, ?> map(Object o) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException("expected an object");
  }

  private static List<?> list(Object o) {
    if (o instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("expected a list");
  }

  private static String str(Map<?, ?> m, String key) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("'" + key + "' is missing or not text");
  }

  /** A text field that older versions did not write: empty when absent. */
  private static String optStr(Map<?, ?> m, String key) {
    return m.get(key) == null ? "" : str(m, key);
  }

  private static long num(Map<?, ?> m, String key) {
    // Jackson reads a whole number as Integer or Long, whichever holds it.
    if (m.get(key) instanceof Long || m.get(key) instanceof Integer) {
      return ((Number) m.get(key)).longValue();
    }
    throw new IllegalArgumentException("'" + key + "' is missing or not a whole number");
  }

  private static boolean bool(Map<?, ?> m, String key) {
    if (m.get(key) instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("'" + key + "' is missing or not true/false");
  }
}
