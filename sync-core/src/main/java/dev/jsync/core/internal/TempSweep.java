package dev.jsync.core.internal;

import dev.jsync.core.Decision;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep of jSync's temp files that a full scan passed (the first one after start-up among
 * them): a temp file stays only if a download can still use it. That is the case for
 * <ul>
 *   <li>any temp file of a path being pulled now (its pull writes or resumes one of them), and</li>
 *   <li>the temp file of exactly the version a still needed path would be pulled as now (its
 *       name holds the final name's and the content's hash, {@link FileAssembly#tempName}),
 *       unless it has not been written for a day: a download interrupted that long ago is
 *       started over rather than kept on disk indefinitely.</li>
 * </ul>
 * Anything else goes: a download given up, a version superseded while it was downloaded or
 * while this node was down, a crash's leftovers. A kept one is handed to the {@link Puller}
 * ({@link Puller#leftTemp}), which deletes it as soon as a pull of another version of the path
 * starts or the path needs nothing any more, without waiting for the next full scan.
 *
 * <p>Control thread (the decisions read the index); each temp file costs one look at the disk,
 * and a needed path's target is chosen only for a temp file whose name matches that path.
 */
final class TempSweep {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** A temp file not written for this long is removed even if its download is still needed. */
  static final Duration MAX_AGE = Duration.ofDays(1);

  /** The length of a temp name's part that depends on the final name only. */
  private static final int STEM = RelativePath.TEMP_PREFIX.length() + 8;

  private TempSweep() {}

  static void sweep(Engine engine, List<Path> temps) {
    if (temps.isEmpty()) {
      return;
    }
    Map<Path, RelativePath> byStem = new HashMap<>();
    for (RelativePath path : engine.puller.wantedPaths()) {
      byStem.put(engine.disk.resolve(path).resolveSibling(FileAssembly.tempName(path.name(), null)), path);
    }
    for (Path temp : temps) {
      String name = temp.getFileName().toString();
      RelativePath path = name.length() >= STEM ? byStem.get(temp.resolveSibling(name.substring(0, STEM))) : null;
      if (path != null && engine.puller.isPulling(path)) {
        continue;
      }
      if (path != null && name.equals(wantedTempName(engine, path)) && !tooOld(engine, temp)) {
        engine.puller.leftTemp(path, temp);
        continue;
      }
      try {
        if (engine.disk.disk().deleteIfExists(temp)) {
          log.debug("removed {}, a download no longer needed", temp);
        }
      } catch (IOException e) {
        log.debug("could not remove {}: {}", temp, e.toString());
      }
    }
  }

  /** The temp file name a pull of {@code path} would use now, or null if it would pull no file. */
  private static String wantedTempName(Engine engine, RelativePath path) {
    Optional<Reconciler.Choice> choice = engine.puller.chooseTarget(path);
    if (choice.isEmpty() || !(choice.get().decision() instanceof Decision.Apply apply)) {
      return null;
    }
    FileRecord target = apply.result();
    return !target.deleted() && target.kind() == FileKind.FILE ? FileAssembly.tempName(target) : null;
  }

  private static boolean tooOld(Engine engine, Path temp) {
    try {
      BasicFileAttributes attrs = engine.disk.attributes(temp);
      if (attrs == null || !attrs.isRegularFile()) {
        return true;
      }
      long ageNanos = engine.nowNanos() - DiskView.nanos(attrs.lastModifiedTime());
      return ageNanos > MAX_AGE.toNanos();
    } catch (IOException e) {
      return false; // cannot tell: keep it for now
    }
  }
}
