package dev.jsync.core.internal;

import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import java.nio.file.Path;

/** Maps absolute paths under the synced folder to the paths the index knows. Stateless. */
final class FolderPaths {

  private FolderPaths() {}

  /**
   * The synced path of {@code absolute} under {@code root}, or null for one jSync does not sync
   * (outside the folder, its own temp files, the state folder, a name that cannot be synced).
   */
  static RelativePath relative(Path root, Path absolute) {
    Path name = absolute.getFileName();
    if (name != null && name.toString().startsWith(RelativePath.TEMP_PREFIX)) {
      return null; // our own downloads in progress: every pulled file makes a few watch events
    }
    Path rel;
    try {
      rel = root.relativize(absolute);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (rel.getNameCount() > 0 && rel.getName(0).toString().equals(RelativePath.STATE_DIR_NAME)) {
      return null; // the state folder
    }
    StringBuilder b = new StringBuilder();
    for (Path part : rel) {
      b.append(b.length() == 0 ? "" : "/").append(part);
    }
    try {
      return RelativePath.of(b.toString());
    } catch (InvalidRelativePathException e) {
      return null; // a name we cannot sync (the scan says so)
    }
  }
}
