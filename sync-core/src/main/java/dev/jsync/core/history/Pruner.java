package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link Retention}: records go oldest first while they are older than its age or
 * the store holds more than its size limit, a record before its object, and an object once no
 * record names it. Without a configured size, the limit follows the synced folder's size,
 * measured by a walk and trusted for an hour.
 *
 * <p>Thread-safe; {@link #prune} is for a writer holding the store's lock
 * ({@link StoreFolder#locked}). Does file I/O.
 */
final class Pruner {

  private static final Logger log = LoggerFactory.getLogger(Pruner.class);
  /** How long a measured folder size is trusted by {@link #limit} before it is measured again. */
  private static final Duration FOLDER_SIZE_AGE = Duration.ofHours(1);

  private final Path folder;
  private final Path stateDir;
  private final Retention retention;
  private final Clock clock;
  private final VersionCatalogue catalogue;
  private final ContentObjects objects;
  /** The folder's size when last measured, and when. Guarded by this. */
  private long folderBytes = -1;
  private Instant folderMeasured = Instant.MIN;

  Pruner(Path folder, Path stateDir, Retention retention, Clock clock, VersionCatalogue catalogue,
      ContentObjects objects) {
    this.folder = folder;
    this.stateDir = stateDir;
    this.retention = retention;
    this.clock = clock;
    this.catalogue = catalogue;
    this.objects = objects;
  }

  /**
   * Removes expired versions, and with them the contents no other version names; with
   * {@code orphans}, also walks every object for those a crash left unnamed.
   */
  void prune(Instant now, boolean orphans) throws IOException {
    List<Version> oldestFirst = new ArrayList<>(catalogue.all());
    oldestFirst.sort(VersionCatalogue.NEWEST_FIRST.reversed());
    Map<String, Integer> refs = new HashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (Version v : oldestFirst) {
      refs.merge(v.sha256(), 1, Integer::sum);
      sizes.put(v.sha256(), v.size());
    }
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    long limit = limit();
    Instant expiry = now.minus(retention.maxAge());
    boolean removed = false;
    List<String> unnamed = new ArrayList<>();
    for (Version v : oldestFirst) {
      if (!v.time().isBefore(expiry) && total <= limit) {
        break; // oldest first: every later version is younger still
      }
      catalogue.remove(v);
      removed = true;
      if (refs.merge(v.sha256(), -1, Integer::sum) == 0) {
        refs.remove(v.sha256());
        total -= v.size();
        unnamed.add(v.sha256());
      }
      log.debug("version {} of {} expired", v.id(), v.path());
    }
    if (removed) {
      catalogue.sync(); // records go before their objects, so no record outlives its content
    }
    for (String sha : unnamed) {
      objects.delete(sha);
    }
    if (orphans) {
      objects.removeAllBut(refs.keySet());
    }
  }

  /** The size limit now: the configured one, or the default for the folder's size. */
  long limit() {
    if (retention.maxBytes().isPresent()) {
      return retention.maxBytes().getAsLong();
    }
    synchronized (this) {
      if (folderBytes < 0 || folderMeasured.plus(FOLDER_SIZE_AGE).isBefore(clock.instant())) {
        measureFolder();
      }
      return retention.limitFor(folderBytes);
    }
  }

  /** Adds up the sizes of the folder's regular files, leaving out the state folder and links. */
  synchronized void measureFolder() {
    if (retention.maxBytes().isPresent()) {
      return;
    }
    long[] total = {0};
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          boolean state = d.equals(stateDir)
              || d.getParent() != null && d.getParent().equals(folder)
                  && d.getFileName().toString().equals(RelativePath.STATE_DIR_NAME);
          return state ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      log.debug("could not measure {}: {}", folder, e.toString());
    }
    folderBytes = total[0];
    folderMeasured = clock.instant();
  }
}
