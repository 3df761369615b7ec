package dev.jsync.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer's path this node does not hold, because its file system cannot: the path collides
 * with another one already here (the two differ only in case or Unicode form, and this disk
 * takes them for one name), or the name is one this platform cannot hold at all (a Windows
 * device name, a forbidden character, a trailing dot or space). The other path is never
 * touched, and the refused one stays on the peers that can hold it; the problem lasts, in
 * {@link SyncStatus#nameProblems()}, until it is gone (one of the two paths removed or renamed).
 *
 * @param path the path refused here, as the peers name it
 * @param collidesWith the path already here that it collides with, if that is the reason
 * @param reason why, in words
 */
public record NameProblem(RelativePath path, Optional<RelativePath> collidesWith, String reason) {

  public NameProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(collidesWith, "collidesWith");
    Objects.requireNonNull(reason, "reason");
  }

  /** One line for a status display, naming both paths. */
  public String line() {
    return collidesWith
        .map(other -> "not synced here: '" + path + "' and '" + other + "' " + reason + "; '" + other + "' is kept")
        .orElse("not synced here: '" + path + "' " + reason);
  }
}
