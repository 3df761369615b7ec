package dev.jsync.core.internal;

import dev.jsync.core.NameMatching;
import dev.jsync.core.NameProblem;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder from holding what its file system cannot: two peer paths that this disk takes
 * for one name (they differ only in case, or in Unicode form), or a name the platform forbids
 * (Windows' device names, characters, trailing dots and spaces). A peer's path that would land
 * on another path already here, or that cannot be held at all, is refused: nothing is written,
 * the other path is never touched, and the refusal is a {@link NameProblem} in the status (and
 * an event and a log line, once) until it is gone. A path this node records that Windows
 * could not hold is logged once, for the sake of Windows peers.
 *
 * <p>The naming is found at start ({@link #load}). Control thread, except {@link #naming()}
 * (any thread).
 */
final class NameGuard {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  static final String PROBE_DIR = "probe";

  private final Engine engine;
  private final DiskView disk;
  private volatile FolderNaming naming = FolderNaming.EXACT;
  /** Refused paths, with why: the status's name problems. */
  private final Map<RelativePath, NameProblem> refused = new TreeMap<>();
  /** Local paths already logged as names Windows cannot hold. */
  private final Set<RelativePath> warnedUnportable = new HashSet<>();

  NameGuard(Engine engine, DiskView disk) {
    this.engine = engine;
    this.disk = disk;
  }

  /** Sets the naming: as {@code matching} says, or found out in the state folder. */
  void load(NameMatching matching) {
    naming = matching == NameMatching.DETECT ? probe() : FolderNaming.of(matching);
    log.debug("names in {}: {}", disk.root(), naming);
  }

  private FolderNaming probe() {
    Path state = disk.root().resolve(RelativePath.STATE_DIR_NAME);
    boolean hadState = Files.isDirectory(state);
    Path scratch = state.resolve(PROBE_DIR);
    try {
      return FolderNaming.probe(scratch);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot find out how {} compares names ({}); taking it as case-sensitive", disk.root(), e.toString());
      return FolderNaming.EXACT;
    } finally {
      try {
        Files.deleteIfExists(scratch);
        if (!hadState) {
          Files.deleteIfExists(state);
        }
      } catch (DirectoryNotEmptyException e) {
        // something else lives there: leave it
      } catch (IOException e) {
        log.debug("could not remove {}: {}", scratch, e.toString());
      }
    }
  }

  FolderNaming naming() {
    return naming;
  }

  /** Why a path of this name can never be held here, whatever the disk holds; no I/O. */
  Optional<NameProblem> unholdable(RelativePath path) {
    if (!naming.windowsNames()) {
      return Optional.empty();
    }
    for (String segment : path.segments()) {
      Optional<String> why = naming.cannotHold(segment);
      if (why.isPresent()) {
        return Optional.of(new NameProblem(path, Optional.empty(),
            "cannot be held on this platform: '" + segment + "' " + why.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code path} cannot be written here now, if it cannot: a name the platform forbids, or
   * another path already on disk that it would land on. One listing per segment on a folding
   * disk; no I/O on another.
   */
  Optional<NameProblem> problemWith(RelativePath path) throws IOException {
    return problemWith(path, dir -> disk.disk().list(dir));
  }

  /** Finds the problems of many paths, listing each folder once (see {@link StoredNames#listingOnce}). */
  interface Check {
    Optional<NameProblem> problemWith(RelativePath path) throws IOException;
  }

  /** A {@link Check} for one pass over many paths, during which the disk is taken as unchanged. */
  Check checkMany() {
    StoredNames.Lister lister = StoredNames.listingOnce(disk);
    return path -> problemWith(path, lister);
  }

  private Optional<NameProblem> problemWith(RelativePath path, StoredNames.Lister lister) throws IOException {
    Optional<NameProblem> bad = unholdable(path);
    if (bad.isPresent()) {
      return bad;
    }
    return StoredNames.collision(disk, naming, path, lister)
        .map(other -> new NameProblem(path, Optional.of(other), naming.folds()));
  }

  /** What is at {@code path} on disk, empty if the disk holds it only under another name. */
  Optional<Observed> observe(RelativePath path) throws IOException {
    return StoredNames.observe(disk, naming, path);
  }

  /** Records a refusal; the first time, with an event and a log line. */
  void refuse(NameProblem problem) {
    NameProblem before = refused.put(problem.path(), problem);
    if (!problem.equals(before)) {
      log.debug("{}", problem.line());
      engine.reporter.emit(new SyncEvent.NameRefused(problem));
      engine.updateStatus();
    }
  }

  boolean isRefused(RelativePath path) {
    return refused.containsKey(path);
  }

  /** {@code path} was applied or deleted here, or is no longer offered: no problem any more. */
  void clear(RelativePath path) {
    if (refused.remove(path) != null) {
      engine.updateStatus();
    }
  }

  /**
   * Refused paths that {@code changed} may have been in the way of (it, or a folder above it,
   * is the path they collided with, or has their name here): to be decided again.
   */
  List<RelativePath> blockedBy(RelativePath changed) {
    if (refused.isEmpty()) {
      return List.of();
    }
    List<RelativePath> out = new ArrayList<>();
    String key = naming.key(changed.toString());
    for (NameProblem p : refused.values()) {
      if (p.collidesWith().isPresent()
          && (changed.contains(p.collidesWith().get()) || naming.key(p.collidesWith().get().toString()).equals(key))) {
        out.add(p.path());
      }
    }
    return out;
  }

  List<NameProblem> problems() {
    return List.copyOf(refused.values());
  }

  /** A path this node recorded: if Windows could not hold it, says so once (Windows peers will refuse it). */
  void recordedLocally(RelativePath path) {
    if (naming.windowsNames() || warnedUnportable.contains(path)) {
      return;
    }
    for (String segment : path.segments()) {
      Optional<String> why = FolderNaming.unportableOnWindows(segment);
      if (why.isPresent()) {
        warnedUnportable.add(path);
        String reason = "'" + segment + "' " + why.get();
        log.debug("{}: Windows peers cannot hold this name ({})", path, reason);
        engine.reporter.emit(new SyncEvent.NameNotPortable(path, reason));
        return;
      }
    }
  }
}
