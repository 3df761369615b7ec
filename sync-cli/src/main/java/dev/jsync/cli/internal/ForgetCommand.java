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
 * Changes the index, so the node must be stopped (its index is locked while it runs).
 */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Removes a device that is gone for good from this device's index: status stops waiting for"
        + " it, and deletes waiting for its acknowledgement can expire. Stop jsync on the folder first.",
        "If the device connects again, it is met as a new device."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  forgotten",
        "  1  the index could not be read or written",
        "  2  bad command line, or DEVICE matches no known device or several",
        "  3  no such folder",
        "  4  jsync is running on the folder: stop it first"})
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
    // Names are only a help here; the index says which devices are known.
    Optional<StatusSnapshot> status = readStatusIfReadable(state);
    status.filter(StatusCommand::isRunning).ifPresent(s -> {
      throw running(folder, s.pid());
    });
    RocksDbIndexStore store;
    try {
      store = RocksDbIndexStore.open(state);
    } catch (StoreException e) {
      if (String.valueOf(e.getMessage()).contains("already in use")) {
        throw running(folder, -1);
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

  private static BadInvocation running(Path folder, long pid) {
    return new BadInvocation(ExitCodes.IN_USE, "jsync is running on " + folder + (pid > 0 ? " (process " + pid + ")"
        : "") + ": stop it first, then run jsync forget again (a running node holds its index)");
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
