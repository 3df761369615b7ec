package dev.jsync.cli.internal;

import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import java.io.File;
import java.nio.file.Path;

/**
 * Turns a PATH argument of {@code jsync history} or {@code jsync restore} into a path in the
 * synced folder: an absolute path must lie inside the folder; a relative one is relative to the
 * folder (not to the working directory), with {@code /} (or the platform's separator) between
 * names and an optional trailing {@code /}. Stateless.
 */
final class HistoryPaths {

  private HistoryPaths() {
  }

  /** @throws BadInvocation if {@code given} does not name a path jSync syncs in {@code folder} */
  static RelativePath parse(Path folder, String given, String what) {
    String text = given.strip();
    Path asPath;
    try {
      asPath = Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      throw BadInvocation.usage(what + " '" + given + "' is not a path");
    }
    if (asPath.isAbsolute()) {
      Path abs = asPath.normalize();
      if (!abs.startsWith(folder) || abs.equals(folder)) {
        throw BadInvocation.usage(what + " " + abs + " is not inside the folder " + folder
            + ": give a path inside it, or one relative to it");
      }
      text = folder.relativize(abs).toString();
    }
    text = text.replace(File.separatorChar, '/');
    while (text.startsWith("./")) {
      text = text.substring(2);
    }
    while (text.endsWith("/") && text.length() > 1) {
      text = text.substring(0, text.length() - 1);
    }
    try {
      return RelativePath.of(text);
    } catch (InvalidRelativePathException e) {
      throw BadInvocation.usage(what + " '" + given + "' is not a path jsync syncs: " + e.getMessage());
    }
  }
}
