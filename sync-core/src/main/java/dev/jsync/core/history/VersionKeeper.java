package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the engine calls just before it replaces or removes a file's content because of a
 * peer's change, or moves the loser of a conflict aside: the keeper takes the content as it is
 * on disk now, so that the change can be undone. {@link VersionStore} is the real one;
 * {@link #NONE} keeps nothing.
 *
 * <p>Called on the engine's control thread, with the file still in place: an implementation
 * must leave {@code file} as it found it, and return only once the version is durable (or
 * throw, which makes the engine leave the file alone and retry the change later). Thread-safe.
 */
@FunctionalInterface
public interface VersionKeeper {

  /** Keeps nothing. */
  VersionKeeper NONE = (path, file, reason, by) -> Optional.empty();

  /**
   * Keeps the content of {@code file} (a regular file) before it is replaced or removed.
   *
   * @param path the file's path in the synced folder
   * @param file the file on disk
   * @param reason why it is about to go
   * @param by the name of the device whose change replaces or removes it
   * @return the version kept, or empty if none was (history off, or the file too large to keep)
   * @throws IOException if the version could not be kept: the caller must not go on to
   *     replace or remove the file
   */
  Optional<Version> keep(RelativePath path, Path file, Version.Reason reason, String by) throws IOException;
}
