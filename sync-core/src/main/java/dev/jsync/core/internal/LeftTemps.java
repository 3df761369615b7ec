package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.Disk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temp file each failed pull left, by path, kept so that a retry of the same version
 * resumes from it. It goes once it cannot be resumed: when the path needs nothing any more, or
 * a pull of another version of it starts (its temp file has another name). Control thread.
 */
final class LeftTemps {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Disk disk;
  private final Map<RelativePath, Path> temps = new HashMap<>();

  LeftTemps(Disk disk) {
    this.disk = disk;
  }

  /** A pull of {@code path} failed and left {@code temp} (which may not exist) for a retry to resume. */
  void left(RelativePath path, Path temp) {
    temps.put(path, temp);
  }

  /** Deletes the temp file a failed pull of {@code path} left, unless it is {@code keep} (may be null). */
  void drop(RelativePath path, Path keep) {
    Path temp = temps.get(path);
    if (temp == null || temp.equals(keep)) {
      return;
    }
    temps.remove(path);
    try {
      if (disk.deleteIfExists(temp)) {
        log.debug("removed {}, the temp file of a download that will not be resumed", temp);
      }
    } catch (IOException e) {
      // The next full scan removes it.
      log.debug("could not remove {}: {}", temp, e.toString());
    }
  }
}
