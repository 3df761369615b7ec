package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's version history: the content that peers' changes replaced or removed, kept in
 * {@code <state folder>/versions/} by SHA-256, with one small metadata record per version. It
 * lives in plain files rather than in the index so that {@code jsync history} and
 * {@code jsync restore} can read and write it while a node runs (the node holds the index
 * locked). See docs/history.md.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>The parts, each in its own class: {@link StoreFolder} (the layout on disk and the writers'
 * lock), {@link ContentObjects} (content by SHA-256 under {@code objects/}),
 * {@link VersionCatalogue} (one record per version under {@code records/}), {@link Pruner} (the
 * retention) and {@link Restorer} (putting versions back).
 *
 * <p><b>Atomicity.</b> A version is kept in three steps, each durable before the next: the
 * content goes to {@code tmp/} (a hard link to the file's inode, taken before the engine's
 * rename replaces or its delete removes the name, so nothing is copied; a copy where links are
 * not possible and for a conflict's loser, which stays in the folder as a conflict copy that may
 * be edited in place), is hashed and fsynced, and is renamed to {@code objects/}; then the record
 * is written to {@code tmp/}, fsynced and renamed to {@code records/}. Readers list
 * {@code records/} only, so a version appears whole or not at all. A crash leaves at worst files
 * in {@code tmp/}, removed by the next writer (which holds the lock, so nothing else can be
 * writing there), or an object no record names, removed by the next {@link #sweep()}.
 *
 * <p><b>Retention</b> ({@link Retention}) runs after each keep and at each {@link #sweep()}:
 * records go oldest first, a record before its object, and an object once no record names it.
 *
 * <p><b>Concurrency.</b> Thread-safe, and safe to use from several processes at once: writers
 * take a lock within the JVM and an OS lock on {@code versions/lock}; readers take none. Every
 * method does file I/O.
 */
public final class VersionStore implements VersionKeeper {

  private static final Logger log = LoggerFactory.getLogger(VersionStore.class);

  /** The store's folder inside the state folder. */
  public static final String DIR_NAME = "versions";

  private final StoreFolder store;
  private final Path folder;
  private final Retention retention;
  private final Clock clock;
  private final RandomGenerator random;
  private final ContentObjects objects;
  private final VersionCatalogue catalogue;
  private final Pruner pruner;

  private VersionStore(Path stateDir, Path folder, Retention retention, Clock clock, RandomGenerator random) {
    this.store = new StoreFolder(stateDir, stateDir.resolve(DIR_NAME));
    this.folder = folder;
    this.retention = retention;
    this.clock = clock;
    this.random = random;
    this.objects = new ContentObjects(store);
    this.catalogue = new VersionCatalogue(store);
    this.pruner = new Pruner(folder, stateDir, retention, clock, catalogue, objects);
  }

  /**
   * The version store in {@code stateDir} for the synced {@code folder}. Touches nothing: the
   * store's folders are created by the first version kept.
   */
  public static VersionStore open(Path stateDir, Path folder, Retention retention, Clock clock) {
    return open(stateDir, folder, retention, clock, new SecureRandom());
  }

  /** Like {@link #open(Path, Path, Retention, Clock)}, with the randomness for version ids given (simulations). */
  public static VersionStore open(Path stateDir, Path folder, Retention retention, Clock clock,
      RandomGenerator random) {
    return new VersionStore(Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath(),
        Objects.requireNonNull(folder, "folder").toAbsolutePath(), Objects.requireNonNull(retention, "retention"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"));
  }

  /** The store's folder, {@code <state folder>/versions}. */
  public Path directory() {
    return store.dir();
  }

  public Retention retention() {
    return retention;
  }

  // ---------------------------------------------------------------- keeping

  @Override
  public Optional<Version> keep(RelativePath path, Path file, Version.Reason reason, String by) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    if (!retention.enabled()) {
      return Optional.empty();
    }
    long limit = pruner.limit();
    long size = Files.size(file);
    if (size > limit) { // known before reading it: a file too large to keep costs nothing
      log.debug("not keeping the old version of {} ({} bytes): larger than the version store's limit of {} bytes",
          path, size, limit);
      return Optional.empty();
    }
    return store.locked(() -> {
      Path tmp = store.tmp("content-" + HexFormat.of().toHexDigits(random.nextLong()));
      ContentObjects.Hashed content = objects.take(file, tmp, reason != Version.Reason.CONFLICT);
      if (content.size() > limit) { // it grew meanwhile
        Files.deleteIfExists(tmp);
        log.debug("not keeping the old version of {} ({} bytes): larger than the version store's limit of {} bytes",
            path, content.size(), limit);
        return Optional.empty();
      }
      objects.install(content, tmp);
      Instant now = clock.instant();
      Version v = new Version(VersionIds.next(now, random), path, content.sha256(), content.size(), now, reason, by);
      catalogue.add(v);
      log.debug("kept the old version of {} as {} ({})", path, v.id(), reason.label());
      pruner.prune(now, false);
      return Optional.of(v);
    });
  }

  // ---------------------------------------------------------------- reading

  /** Every kept version, newest first. */
  public List<Version> list() throws IOException {
    List<Version> all = new ArrayList<>(catalogue.all());
    all.sort(VersionCatalogue.NEWEST_FIRST);
    return all;
  }

  /** The kept versions of the given paths and of everything under them, newest first. */
  public List<Version> list(Collection<RelativePath> under) throws IOException {
    List<Version> out = new ArrayList<>();
    for (Version v : list()) {
      if (under.stream().anyMatch(p -> p.contains(v.path()))) {
        out.add(v);
      }
    }
    return out;
  }

  /** The version with this id, if kept; an id of the wrong shape is simply not found. */
  public Optional<Version> find(String id) throws IOException {
    if (!VersionIds.isValid(id)) {
      return Optional.empty();
    }
    return catalogue.all().stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /**
   * The file holding {@code v}'s content in the store. Read it, never write it: other versions
   * may share it. It may be gone by the time it is opened (expired meanwhile).
   */
  public Path content(Version v) {
    return store.object(v.sha256());
  }

  /** How many versions are kept, how much content they hold, and when the oldest was kept. */
  public record Summary(int versions, long bytes, Optional<Instant> oldest) {}

  public Summary summary() throws IOException {
    Collection<Version> all = catalogue.all();
    Map<String, Long> sizes = new HashMap<>();
    Instant oldest = null;
    for (Version v : all) {
      sizes.put(v.sha256(), v.size());
      oldest = oldest == null || v.time().isBefore(oldest) ? v.time() : oldest;
    }
    return new Summary(all.size(), sizes.values().stream().mapToLong(Long::longValue).sum(),
        Optional.ofNullable(oldest));
  }

  // ---------------------------------------------------------------- restoring

  /** A version put back, and where. */
  public record Restored(Version version, RelativePath to) {}

  /**
   * Puts kept versions back into the folder as new local files, each written to a temp file,
   * checked against its SHA-256, fsynced and renamed into place; what it replaces is kept as a
   * version first. A node running on the folder sees an ordinary local change.
   *
   * <ul>
   *   <li>With {@code versionId}: that version, which must be of {@code path} or of a file under it.
   *   <li>Without, if {@code path} has versions of its own: its newest one.
   *   <li>Otherwise {@code path} is taken as a folder: every file under it that is missing now and
   *       whose newest version is the one a delete removed comes back as it was then.
   * </ul>
   *
   * @param to where to put the path instead (each file keeps its place under it)
   * @param deviceName this device's name, recorded as who replaced what a restore overwrites
   * @return what was restored
   * @throws IllegalArgumentException if there is nothing to restore, saying why
   * @throws IOException if the folder cannot be written, or a version's content is missing or damaged
   */
  public List<Restored> restore(RelativePath path, Optional<String> versionId, Optional<RelativePath> to,
      String deviceName) throws IOException {
    return new Restorer(this, folder).restore(path, versionId, to, deviceName);
  }

  // ---------------------------------------------------------------- retention

  /**
   * Applies the retention now: removes expired versions, then the oldest until the rest fit in
   * the size limit, and whatever a crash left half-written. Measures the folder's size afresh
   * (a walk of the folder, so call it from a thread that may block).
   */
  public void sweep() throws IOException {
    if (!Files.isDirectory(store.dir(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    pruner.measureFolder();
    store.locked(() -> {
      pruner.prune(clock.instant(), true);
      return null;
    });
  }
}
