package dev.jsync.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Lets end-to-end tests read a node's status file the way {@code jsync status} does. */
public final class StatusProbe {

  /** The parts of a status that tests check. */
  public record Seen(long pid, long localSequence, boolean inSync, long filesNeeded, int peers, int connectedPeers) {
  }

  private StatusProbe() {
  }

  /** The status in {@code stateDir}, if there is one and it reads (a node may be replacing it). */
  public static Optional<Seen> read(Path stateDir) {
    try {
      return StatusFile.read(stateDir).map(s -> new Seen(s.pid(), s.localSequence(), s.inSync(), s.filesNeeded(), s.peers().size(),
          (int) s.peers().stream().filter(StatusSnapshot.Peer::connected).count()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
