package dev.jsync.cli.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The user's cache folder for jSync, where the CLI keeps RocksDB's native library (extracted once
 * per version rather than into a new temp file at every start): {@code $XDG_CACHE_HOME/jsync} or
 * {@code ~/.cache/jsync} on Linux and other Unixes, {@code ~/Library/Caches/jsync} on macOS,
 * {@code %LOCALAPPDATA%\jsync\cache} on Windows. Pure: reads only what it is given.
 */
final class CacheFolder {

  private CacheFolder() {
  }

  static Optional<Path> of(Map<String, String> env, String osName, String userHome) {
    String os = osName == null ? "" : osName.toLowerCase(java.util.Locale.ROOT);
    if (os.startsWith("windows")) {
      return absolute(env.get("LOCALAPPDATA")).map(p -> p.resolve("jsync").resolve("cache"));
    }
    Optional<Path> home = absolute(userHome);
    if (os.startsWith("mac")) {
      return home.map(h -> h.resolve("Library").resolve("Caches").resolve("jsync"));
    }
    return absolute(env.get("XDG_CACHE_HOME")).or(() -> home.map(h -> h.resolve(".cache")))
        .map(p -> p.resolve("jsync"));
  }

  /** The variable as a path if it is set and absolute (the XDG rule: relative ones are ignored). */
  private static Optional<Path> absolute(String value) {
    if (value == null || value.isBlank() || value.equals("?")) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(value);
      return p.isAbsolute() ? Optional.of(p) : Optional.empty();
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
  }
}
