package dev.jsync.core.history;

import dev.jsync.core.PrivateFiles;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
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
 * <pre>
 * versions/
 *   lock                  held (OS file lock) by whoever writes: keeps, sweeps
 *   objects/9f/9f86d0...  content, named by its SHA-256 in hex; one file per distinct content
 *   records/&lt;id&gt;.version one per version (VersionRecords): path, sha256, size, time, reason, by
 *   tmp/                  content and records being written
 * </pre>
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
  private static final String OBJECTS = "objects";
  private static final String RECORDS = "records";
  private static final String TMP = "tmp";
  private static final String LOCK = "lock";
  private static final String RECORD_SUFFIX = ".version";
  /** How long a measured folder size is trusted by {@link #keep} before it is measured again. */
  private static final Duration FOLDER_SIZE_AGE = Duration.ofHours(1);
  /**
   * One lock per store folder for the writers of this JVM (an OS file lock is per process),
   * held in the map only while some writer uses it: an entry kept for good would keep its path,
   * and with it the path's file system (an in-memory one in tests), for the life of the JVM.
   */
  private static final Map<Path, JvmLock> JVM_LOCKS = new HashMap<>();

  private static final class JvmLock {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by JVM_LOCKS
  }

  private final Path dir;
  private final Path folder;
  private final Path stateDir;
  private final Retention retention;
  private final Clock clock;
  private final RandomGenerator random;

  /** Records read so far, by file name; refreshed from the folder before each use. Guarded by this. */
  private final Map<String, Version> cache = new HashMap<>();
  /** Record files that could not be read, reported once each. Guarded by this. */
  private final Set<String> unreadable = new HashSet<>();
  /** The folder's size when last measured, and when. Guarded by this. */
  private long folderBytes = -1;
  private Instant folderMeasured = Instant.MIN;

  private VersionStore(Path stateDir, Path folder, Retention retention, Clock clock, RandomGenerator random) {
    this.stateDir = stateDir;
    this.dir = stateDir.resolve(DIR_NAME);
    this.folder = folder;
    this.retention = retention;
    this.clock = clock;
    this.random = random;
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
    return dir;
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
    long limit = limit();
    long size = Files.size(file);
    if (size > limit) { // known before reading it: a file too large to keep costs nothing
      log.info("not keeping the old version of {} ({} bytes): larger than the version store's limit of {} bytes",
          path, size, limit);
      return Optional.empty();
    }
    return locked(() -> {
      Path tmp = dir.resolve(TMP).resolve("content-" + HexFormat.of().toHexDigits(random.nextLong()));
      Hashed content = null;
      if (reason != Version.Reason.CONFLICT) {
        content = linkAndHash(file, tmp);
      }
      if (content == null) {
        content = copyAndHash(file, tmp);
      }
      if (content.size() > limit) { // it grew meanwhile
        Files.deleteIfExists(tmp);
        log.info("not keeping the old version of {} ({} bytes): larger than the version store's limit of {} bytes",
            path, content.size(), limit);
        return Optional.empty();
      }
      Path object = objectPath(content.sha256());
      if (Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(tmp); // the same content is kept already
      } else {
        boolean newFolder = !Files.isDirectory(object.getParent());
        PrivateFiles.createFolders(object.getParent());
        if (newFolder) {
          fsyncDirectory(object.getParent().getParent());
        }
        move(tmp, object);
        fsyncDirectory(object.getParent());
      }
      Instant now = clock.instant();
      Version v = new Version(VersionIds.next(now, random), path, content.sha256(), content.size(), now, reason, by);
      writeRecord(v);
      log.debug("kept the old version of {} as {} ({})", path, v.id(), reason.label());
      sweepLocked(now, false);
      return Optional.of(v);
    });
  }

  private record Hashed(String sha256, long size) {}

  /**
   * Links {@code tmp} to {@code file}'s inode, then hashes and fsyncs it. Empty (null) where the
   * file system has no hard links or refuses this one (another volume, a FAT disk).
   */
  private static Hashed linkAndHash(Path file, Path tmp) throws IOException {
    try {
      Files.createLink(tmp, file);
    } catch (UnsupportedOperationException | IOException e) {
      if (e instanceof NoSuchFileException && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw (NoSuchFileException) e;
      }
      log.debug("cannot hard-link {} into the version store ({}); copying it", file, e.toString());
      Files.deleteIfExists(tmp);
      return null;
    }
    MessageDigest digest = dev.jsync.core.Sha256.newDigest();
    long size = 0;
    try (FileChannel in = FileChannel.open(tmp, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      while ((n = in.read(buf)) >= 0) {
        buf.flip();
        digest.update(buf);
        size += n;
        buf.clear();
      }
      in.force(true); // the file's data may never have been flushed by whoever wrote it
    }
    return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
  }

  private static Hashed copyAndHash(Path file, Path tmp) throws IOException {
    MessageDigest digest = dev.jsync.core.Sha256.newDigest();
    long size = 0;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
            LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(tmp))) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      while ((n = in.read(buf)) >= 0) {
        buf.flip();
        digest.update(buf.duplicate());
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        size += n;
        buf.clear();
      }
      out.force(true);
    }
    return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
  }

  /** Writes {@code v}'s record: to {@code tmp/}, fsynced, renamed into {@code records/}, which is fsynced. */
  private void writeRecord(Version v) throws IOException {
    Path tmp = dir.resolve(TMP).resolve(v.id() + RECORD_SUFFIX);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
        LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(tmp))) {
      ByteBuffer bytes = ByteBuffer.wrap(VersionRecords.encode(v));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Path records = dir.resolve(RECORDS);
    move(tmp, records.resolve(v.id() + RECORD_SUFFIX));
    fsyncDirectory(records);
    synchronized (this) {
      cache.put(v.id() + RECORD_SUFFIX, v);
    }
  }

  // ---------------------------------------------------------------- reading

  /** Every kept version, newest first. */
  public List<Version> list() throws IOException {
    List<Version> all = new ArrayList<>(refresh());
    all.sort(NEWEST_FIRST);
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
    return refresh().stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /**
   * The file holding {@code v}'s content in the store. Read it, never write it: other versions
   * may share it. It may be gone by the time it is opened (expired meanwhile).
   */
  public Path content(Version v) {
    return objectPath(v.sha256());
  }

  /** How many versions are kept, how much content they hold, and when the oldest was kept. */
  public record Summary(int versions, long bytes, Optional<Instant> oldest) {}

  public Summary summary() throws IOException {
    Collection<Version> all = refresh();
    Map<String, Long> sizes = new HashMap<>();
    Instant oldest = null;
    for (Version v : all) {
      sizes.put(v.sha256(), v.size());
      oldest = oldest == null || v.time().isBefore(oldest) ? v.time() : oldest;
    }
    return new Summary(all.size(), sizes.values().stream().mapToLong(Long::longValue).sum(),
        Optional.ofNullable(oldest));
  }

  private static final Comparator<Version> NEWEST_FIRST =
      Comparator.comparing(Version::time).thenComparing(Version::id).reversed();

  /** Reads the records added since the last look and forgets those removed. */
  private synchronized Collection<Version> refresh() throws IOException {
    Path records = dir.resolve(RECORDS);
    Set<String> names = new HashSet<>();
    if (Files.isDirectory(records, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(records, "*" + RECORD_SUFFIX)) {
        for (Path p : entries) {
          names.add(p.getFileName().toString());
        }
      }
    }
    cache.keySet().retainAll(names);
    unreadable.retainAll(names);
    for (String name : names) {
      if (cache.containsKey(name) || unreadable.contains(name)) {
        continue;
      }
      try {
        Version v = VersionRecords.decode(Files.readAllBytes(records.resolve(name)));
        if (!name.equals(v.id() + RECORD_SUFFIX)) {
          throw new IOException("it names version " + v.id());
        }
        cache.put(name, v);
      } catch (NoSuchFileException e) {
        // expired meanwhile
      } catch (IOException e) {
        unreadable.add(name);
        log.warn("ignoring the version record {}: {}", records.resolve(name), e.getMessage());
      }
    }
    return List.copyOf(cache.values());
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
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    measureFolder();
    locked(() -> {
      sweepLocked(clock.instant(), true);
      return null;
    });
  }

  /**
   * Removes expired versions, and with them the contents no other version names; with
   * {@code orphans}, also walks every object for those a crash left unnamed.
   */
  private void sweepLocked(Instant now, boolean orphans) throws IOException {
    List<Version> oldestFirst = new ArrayList<>(refresh());
    oldestFirst.sort(NEWEST_FIRST.reversed());
    Map<String, Integer> refs = new HashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (Version v : oldestFirst) {
      refs.merge(v.sha256(), 1, Integer::sum);
      sizes.put(v.sha256(), v.size());
    }
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    long limit = limit();
    Instant expiry = now.minus(retention.maxAge());
    Path records = dir.resolve(RECORDS);
    boolean removed = false;
    List<String> unnamed = new ArrayList<>();
    for (Version v : oldestFirst) {
      if (!v.time().isBefore(expiry) && total <= limit) {
        break; // oldest first: every later version is younger still
      }
      Files.deleteIfExists(records.resolve(v.id() + RECORD_SUFFIX));
      removed = true;
      synchronized (this) {
        cache.remove(v.id() + RECORD_SUFFIX);
      }
      if (refs.merge(v.sha256(), -1, Integer::sum) == 0) {
        refs.remove(v.sha256());
        total -= v.size();
        unnamed.add(v.sha256());
      }
      log.debug("version {} of {} expired", v.id(), v.path());
    }
    if (removed) {
      fsyncDirectory(records); // records go before their objects, so no record outlives its content
    }
    for (String sha : unnamed) {
      Files.deleteIfExists(objectPath(sha));
    }
    if (orphans) {
      removeUnreferencedObjects(refs.keySet());
    }
  }

  private void removeUnreferencedObjects(Set<String> referenced) throws IOException {
    Path objects = dir.resolve(OBJECTS);
    if (!Files.isDirectory(objects, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(objects)) {
      for (Path shard : shards) {
        if (!Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(shard)) {
          for (Path object : entries) {
            if (!referenced.contains(object.getFileName().toString())) {
              Files.deleteIfExists(object);
            }
          }
        }
      }
    }
  }

  /** The size limit now: the configured one, or the default for the folder's size. */
  private long limit() throws IOException {
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
  private synchronized void measureFolder() {
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

  // ---------------------------------------------------------------- files and locks

  private Path objectPath(String sha256) {
    return dir.resolve(OBJECTS).resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  @FunctionalInterface
  private interface IoBody<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code body} holding this JVM's lock and the OS lock on {@code versions/lock}, after
   * creating the store's folders and clearing {@code tmp/}: whatever is there while the lock is
   * held was left by a writer that died.
   */
  private <T> T locked(IoBody<T> body) throws IOException {
    Path key = dir.normalize();
    JvmLock jvm;
    synchronized (JVM_LOCKS) {
      jvm = JVM_LOCKS.computeIfAbsent(key, k -> new JvmLock());
      jvm.users++;
    }
    jvm.lock.lock();
    try {
      boolean created = !Files.isDirectory(dir);
      PrivateFiles.createFolders(dir.resolve(OBJECTS));
      PrivateFiles.createFolders(dir.resolve(RECORDS));
      PrivateFiles.createFolders(dir.resolve(TMP));
      if (created) {
        fsyncDirectory(dir);
        fsyncDirectory(stateDir);
      }
      Path lockFile = dir.resolve(LOCK);
      try (FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(lockFile)); FileLock ignored = ch.lock()) {
        clearTmp();
        return body.run();
      }
    } finally {
      jvm.lock.unlock();
      synchronized (JVM_LOCKS) {
        if (--jvm.users == 0) {
          JVM_LOCKS.remove(key);
        }
      }
    }
  }

  /** How many store folders this JVM's writers are using now (tests). */
  static int jvmLocksInUse() {
    synchronized (JVM_LOCKS) {
      return JVM_LOCKS.size();
    }
  }

  private void clearTmp() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve(TMP))) {
      for (Path p : entries) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically", e);
    }
  }

  static void fsyncDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Folders cannot be opened here (Windows, some virtual file systems): nothing more to do.
    }
  }
}
