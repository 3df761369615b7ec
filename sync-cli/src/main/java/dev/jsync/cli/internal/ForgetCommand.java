package dev.jsync.cli.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.core.store.StoreException;
import dev.jsync.store.RocksDbIndexStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jsync forget -d DIR DEVICE}: removes a device that is gone for good (reinstalled, lost)
 * from this one's index: its records and how far its index was read. It then no longer counts
 * as a peer: {@code status} stops waiting for it, and deletes it never acknowledged can expire.
 * A node running on the folder holds its index locked: then it is asked to do it
 * ({@link ForgetRequests}), and refuses for a device it is connected to (that one is not gone).
 */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Removes a device that is gone for good from this device's index: status stops waiting for"
        + " it, and deletes waiting for its acknowledgement can expire. Works whether or not jsync runs on the"
        + " folder (a running node is asked to do it).",
        "If the device connects again, it is met as a new device."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  forgotten",
        "  1  the index could not be read or written, or the running node did not answer",
        "  2  bad command line, or DEVICE matches no known device or several",
        "  3  no such folder",
        "  4  DEVICE is connected to the running node now: it is not gone"})
final class ForgetCommand extends FolderCommand {

  @Parameters(paramLabel = "DEVICE", arity = "1",
      description = "The device: its name, its ID or the start of it (as `jsync peers` shows them).")
  String device;

  @Override
  int run(PrintWriter out) {
    Path folder = folder();
    Path state = stateDir(folder);
    if (!Files.isDirectory(state.resolve("index"))) {
      throw BadInvocation.usage("jsync has not run on " + folder + ": it knows no devices");
    }
    // Names are only a help here; the index (or a running node) says which devices are known.
    Optional<StatusSnapshot> status = readStatusIfReadable(state);
    if (status.filter(StatusCommand::isRunning).isPresent()) {
      return askRunning(out, state, status.get());
    }
    RocksDbIndexStore store;
    try {
      store = RocksDbIndexStore.open(state);
    } catch (StoreException e) {
      if (String.valueOf(e.getMessage()).contains("already in use")) {
        throw starting(folder);
      }
      throw new BadInvocation(ExitCodes.FAILED, "cannot open the index: " + e.getMessage());
    }
    Map<String, String> names = StatusTicker.namesFrom(status);
    DeviceId peer;
    try (store) {
      peer = match(device, new ArrayList<>(store.peers()), names);
      store.apply(new StoreBatch().clearRemote(peer));
    } catch (StoreException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot change the index: " + e.getMessage());
    }
    if (status.isPresent()) {
      try {
        StatusFile.write(state, status.get().withoutPeer(peer.toString()));
      } catch (IOException e) {
        spec.commandLine().getErr().println("jsync forget: the status file still lists the device until jsync"
            + " next runs: " + e.getMessage());
      }
    }
    String name = names.getOrDefault(peer.toString(), "");
    out.println("forgot " + (name.isEmpty() ? "" : name + " ") + "(" + peer.shortId()
        + "): its records are gone from this device's index, and deletes waiting only for it can expire;"
        + " if it connects again, it is met as a new device");
    return ExitCodes.OK;
  }

  /**
   * A node runs on the folder and holds its index: it is asked to forget the device itself
   * ({@link ForgetRequests}); the devices it knows are those its status file lists.
   */
  private int askRunning(PrintWriter out, Path state, StatusSnapshot status) {
    Map<String, String> names = StatusTicker.namesFrom(Optional.of(status));
    List<DeviceId> known = new ArrayList<>();
    for (StatusSnapshot.Peer p : status.peers()) {
      known.add(DeviceId.parse(p.id()));
    }
    DeviceId peer = match(device, known, names);
    String name = names.getOrDefault(peer.toString(), "");
    String who = (name.isEmpty() ? "" : name + " ") + "(" + peer.shortId() + ")";
    Optional<ForgetRequests.Reply> reply;
    try {
      reply = ForgetRequests.ask(state, peer, ANSWER_WITHIN);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new BadInvocation(ExitCodes.FAILED, "another jsync forget is waiting for the node on this folder:"
          + " try again in a moment");
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot ask the running node: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInvocation(ExitCodes.FAILED, "interrupted while waiting for the running node");
    }
    if (reply.isEmpty()) {
      throw new BadInvocation(ExitCodes.FAILED, "jsync runs on this folder (process " + status.pid() + ") but did"
          + " not answer within " + ANSWER_WITHIN.toSeconds() + " s; nothing was forgotten");
    }
    switch (reply.get().outcome()) {
      case "ok" -> {
        out.println("forgot " + who + ": its records are gone from this device's index,"
            + " and deletes waiting only for it can expire; if it connects again, it is met as a new device");
        return ExitCodes.OK;
      }
      case "connected" -> throw new BadInvocation(ExitCodes.IN_USE, who + " is connected to this device now, so it"
          + " is not gone: forget a device only once it is gone for good (stop jsync on it, or wait until it is"
          + " off, then run jsync forget again)");
      case "unknown" -> throw BadInvocation.usage("the running node knows no device " + who);
      default -> throw new BadInvocation(ExitCodes.FAILED, "the running node could not forget " + who + ": "
          + reply.get().detail());
    }
  }

  /** How long the command waits for a running node to answer: a tick is a second at most. */
  private static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofSeconds(20);

  /** The index is locked, but no running node's status says so: one is starting (or stopping). */
  private static BadInvocation starting(Path folder) {
    return new BadInvocation(ExitCodes.FAILED, "jsync is starting or stopping on " + folder
        + " and holds its index: try again in a moment");
  }

  /**
   * The one known device that {@code given} names: its full id, its name, or the start of its id
   * (case-insensitive); in that order of preference.
   *
   * @throws BadInvocation if none or several match
   */
  static DeviceId match(String given, List<DeviceId> known, Map<String, String> names) {
    known.sort(Comparator.comparing(DeviceId::toString));
    String g = given.trim();
    List<DeviceId> exact = known.stream().filter(d -> d.toString().equals(g)).toList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    List<DeviceId> byName = known.stream().filter(d -> names.getOrDefault(d.toString(), "").equals(g)).toList();
    List<DeviceId> byPrefix = g.isEmpty() ? List.of() : known.stream()
        .filter(d -> d.toString().toLowerCase(Locale.ROOT).startsWith(g.toLowerCase(Locale.ROOT))).toList();
    List<DeviceId> found = byName.isEmpty() ? byPrefix : byName;
    if (found.size() == 1) {
      return found.get(0);
    }
    String list = known.stream().map(d -> describe(d, names)).collect(Collectors.joining(", "));
    if (found.isEmpty()) {
      throw BadInvocation.usage("no known device is '" + given + "'" + (known.isEmpty() ? ": this device knows none"
          : "; known: " + list + " (`jsync peers` lists them)"));
    }
    throw BadInvocation.usage("'" + given + "' matches several devices: "
        + found.stream().map(d -> describe(d, names)).collect(Collectors.joining(", "))
        + "; give more of the ID");
  }

  private static String describe(DeviceId d, Map<String, String> names) {
    String name = names.getOrDefault(d.toString(), "");
    return name.isEmpty() ? d.shortId() : name + " (" + d.shortId() + ")";
  }
}
