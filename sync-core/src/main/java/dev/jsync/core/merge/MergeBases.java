package dev.jsync.core.merge;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.PrivateFiles;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merge bases of a device: the content of recent versions of mergeable files, kept so that
 * a three-way merge of two concurrent versions finds their common ancestor, which neither side's
 * disk holds any more (docs/conflicts.md, "Merging notes").
 *
 * <p>Each entry says "path {@code p} was at version {@code v} with content {@code h}". The
 * content is stored once however many entries name it, under the record's content hash (the
 * SHA-256 of the 128 KiB block hashes, as in every {@link dev.jsync.core.FileRecord}), so an
 * entry maps a record's content hash straight to its bytes; reading them back checks that hash.
 *
 * <pre>
 * merge-bases/
 *   objects/&lt;content hash&gt;   the bytes of one content
 *   paths/&lt;sha256(path)&gt;     the entries of one path: its name, then "hash vector" lines, oldest first
 *   tmp/                     files being written
 * </pre>
 *
 * <p><b>Crash safety.</b> An object is written to {@code tmp/} and renamed into
 * {@code objects/}; only then is the path's entry file rewritten the same way (tmp, rename).
 * A crash never makes a wrong base: every content is checked against its hash when read (a
 * torn or empty one is removed), and an entry file that does not parse is ignored. What a crash
 * can do is lose recent bases (an object no entry names is removed by the next {@link #sweep});
 * a merge that finds no base keeps a conflict copy, as without merging. So nothing here is
 * flushed to disk (fsync) one by one: a device's first scan of a large vault keeps every note,
 * and a flush per note would cost seconds.
 *
 * <p><b>Bounds.</b> A path keeps at most {@value #MAX_PER_PATH} entries: when more arrive, the
 * oldest and the two newest stay and the one before the two newest goes (the oldest is the last
 * version seen by a device that has been away; the newest, by one that is connected). The entry
 * file remembers the span of the versions it trimmed or could not keep ({@link #skipped}; their
 * element-wise minimum and maximum, one "gap" line), and {@link #baseOf} finds no base when such
 * a version could be a later common version than the one it would return: merging against an
 * older base would take the changes between the two for one side's edits and could undo them.
 * {@link #prune} drops entries no device can still merge against: those an acknowledged later
 * entry follows. The content kept stays within {@code maxBytes}, least recently kept first: once a
 * keep goes over it, content is evicted down to three quarters of it, which lists the content
 * only, so eviction costs the content kept (at most {@code maxBytes}), never the number of paths.
 * An entry whose content was evicted finds no base. Entry files that name no content kept any
 * more, and content no entry names, go in a full {@link #sweep}: at open, and whenever as many
 * paths were kept since the last one as there were entry files then (at least
 * {@value #SWEEP_EVERY}), so a sweep's reading of every entry file is paid once per as many keeps,
 * and the entry files stay within about twice those that name content kept, however many notes a
 * first scan records.
 *
 * <p>Its folders and files are the owner's only (like the rest of the state folder), since they
 * hold notes' text. Thread-safe (every method is synchronized); one process at a time.
 */
public final class MergeBases {

  private static final Logger log = LoggerFactory.getLogger(MergeBases.class);

  /** How many versions of one path are kept at most. */
  public static final int MAX_PER_PATH = 8;

  /** The default bound on the content kept: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private static final String HEADER = "jsync-merge-bases 1";

  /** The fewest keeps between two full sweeps. */
  static final int SWEEP_EVERY = 4096;

  /** One kept version of a path: its vector and the content hash of its record. */
  public record Base(VersionVector version, Sha256 contentHash) {}

  /**
   * The versions trimmed from a path's entries or skipped: every one of them includes {@code earliest}
   * (their element-wise minimum) and is included in {@code latest} (their maximum).
   */
  private record Gap(VersionVector earliest, VersionVector latest) {

    Gap with(VersionVector missing) {
      return new Gap(meet(earliest, missing), latest.merge(missing));
    }

    /**
     * Whether {@code base}, the latest kept version both {@code a} and {@code b} include, may be
     * older than a missing version both include. Both include a missing version only if both
     * include {@code earliest}, and {@code base} includes every missing version if it includes
     * {@code latest}: so a yes may be cautious, a no is sure.
     */
    boolean mayHide(VersionVector a, VersionVector b, VersionVector base) {
      return a.dominates(earliest) && b.dominates(earliest) && (base == null || !base.dominates(latest));
    }
  }

  /** What a path's entry file holds: its entries, oldest first, and the span of those missing. */
  private record Entries(List<Base> bases, Gap gap) {

    static final Entries NONE = new Entries(List.of(), null);
  }

  private static final String GAP = "gap";

  private final Path objects;
  private final Path paths;
  private final Path tmp;
  private final long maxBytes;
  private long bytes;
  /** Entry files the last full sweep left. */
  private long entryFilesAtSweep;
  /** Keeps since the last full sweep. */
  private long keepsSinceSweep;
  /** Full sweeps run so far (for tests: how often every entry file is read). */
  int sweeps;
  /** Evictions run so far (for tests). */
  int evictions;

  private MergeBases(Path dir, long maxBytes) {
    this.objects = dir.resolve("objects");
    this.paths = dir.resolve("paths");
    this.tmp = dir.resolve("tmp");
    this.maxBytes = maxBytes;
  }

  /**
   * Opens (creating) the store in {@code dir}, removes what a crash left in {@code tmp/} and
   * content no entry names, and evicts down to {@code maxBytes}.
   */
  public static MergeBases open(Path dir, long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maximum size is negative: " + maxBytes);
    }
    MergeBases b = new MergeBases(dir, maxBytes);
    PrivateFiles.createFolders(b.objects);
    PrivateFiles.createFolders(b.paths);
    PrivateFiles.createFolders(b.tmp);
    try (DirectoryStream<Path> left = Files.newDirectoryStream(b.tmp)) {
      for (Path p : left) {
        Files.deleteIfExists(p);
      }
    }
    synchronized (b) {
      b.sweep();
    }
    return b;
  }

  /** The content hash a {@link dev.jsync.core.FileRecord} of {@code content} carries. */
  public static Sha256 contentHashOf(byte[] content) {
    MessageDigest all = Sha256.newDigest();
    for (BlockInfo block : blocksOf(content)) {
      all.update(block.hash().toBytes());
    }
    return Sha256.finish(all);
  }

  /** The blocks a {@link dev.jsync.core.FileRecord} of {@code content} carries. */
  public static List<BlockInfo> blocksOf(byte[] content) {
    List<BlockInfo> out = new ArrayList<>();
    for (int offset = 0; offset < content.length; offset += BlockInfo.SIZE) {
      int length = Math.min(BlockInfo.SIZE, content.length - offset);
      out.add(new BlockInfo(offset, length, Sha256.of(content, offset, length)));
    }
    return out;
  }

  /** Whether the content with this hash is kept (no need to read the file again). */
  public synchronized boolean holds(Sha256 contentHash) {
    return Files.isRegularFile(objects.resolve(contentHash.toString()));
  }

  /**
   * Records that {@code path} was at {@code version} with {@code content} (whose record's
   * content hash is {@code contentHash}); {@code content} may be null if {@link #holds} said the
   * content is kept already.
   *
   * @return false if nothing was kept: the content does not match its hash, is larger than the
   *     whole store may hold, or (when null) is no longer kept
   */
  public synchronized boolean keep(RelativePath path, VersionVector version, Sha256 contentHash, byte[] content)
      throws IOException {
    return keep(path, version, contentHash, content, List.of());
  }

  /**
   * As {@link #keep(RelativePath, VersionVector, Sha256, byte[])}, then as {@link #prune} with
   * {@code version} for the current one and {@code holders} (none: nothing is pruned), reading
   * and writing the path's entries once.
   */
  public synchronized boolean keep(RelativePath path, VersionVector version, Sha256 contentHash, byte[] content,
      Collection<VersionVector> holders) throws IOException {
    Path object = objects.resolve(contentHash.toString());
    if (!Files.isRegularFile(object)) {
      if (content == null || content.length > maxBytes || !contentHashOf(content).equals(contentHash)) {
        return false;
      }
      Path t = tmp.resolve(UUID.randomUUID() + ".object");
      write(t, content);
      move(t, object);
      bytes += content.length;
    } else {
      // Used again: the newest content is the last evicted.
      Files.setLastModifiedTime(object, FileTime.fromMillis(System.currentTimeMillis()));
    }
    Entries read = entries(path);
    List<Base> entries = new ArrayList<>(read.bases());
    Gap gap = read.gap();
    entries.removeIf(b -> b.version().equals(version));
    entries.add(new Base(version, contentHash));
    while (entries.size() > MAX_PER_PATH) {
      VersionVector trimmed = entries.remove(entries.size() - 3).version();
      gap = gap == null ? new Gap(trimmed, trimmed) : gap.with(trimmed);
    }
    writeEntries(path, holders.isEmpty() ? entries : pruned(entries, version, holders), gap);
    if (++keepsSinceSweep >= Math.max(SWEEP_EVERY, entryFilesAtSweep)) {
      sweep(maxBytes - maxBytes / 4);
    } else if (bytes > maxBytes) {
      evict(maxBytes - maxBytes / 4);
    }
    return true;
  }

  /**
   * Records that {@code path} was at {@code version} but its content could not be kept (it
   * changed or went before it was read): like a trimmed entry, the version joins the path's
   * span of missing versions, so that no merge of two versions that both include it takes an
   * older kept version for their base. Nothing to do for a path with no entries: no older
   * version can then be taken, and every later entry follows this version.
   */
  public synchronized void skipped(RelativePath path, VersionVector version) throws IOException {
    Entries read = entries(path);
    if (read.bases().isEmpty()) {
      return;
    }
    Gap gap = read.gap() == null ? new Gap(version, version) : read.gap().with(version);
    writeEntries(path, read.bases(), gap);
  }

  /** The kept versions of {@code path}, oldest first (an entry's content may have been evicted). */
  public synchronized List<Base> bases(RelativePath path) throws IOException {
    return entries(path).bases();
  }

  private Entries entries(RelativePath path) throws IOException {
    Path file = paths.resolve(fileName(path));
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Entries.NONE;
    }
    if (lines.size() < 2 || !lines.get(0).equals(HEADER)
        || !new String(Base64.getDecoder().decode(lines.get(1)), StandardCharsets.UTF_8).equals(path.toString())) {
      log.warn("ignoring the damaged merge-base file {}", file);
      return Entries.NONE;
    }
    List<Base> out = new ArrayList<>();
    Gap gap = null;
    for (String line : lines.subList(2, lines.size())) {
      try {
        if (line.startsWith(GAP + ' ')) {
          String[] span = line.split(" ", -1);
          if (span.length != 3) {
            throw new IllegalArgumentException("not a gap");
          }
          gap = new Gap(parseVector(span[1]), parseVector(span[2]));
        } else {
          out.add(parse(line));
        }
      } catch (IllegalArgumentException e) {
        log.warn("ignoring a damaged line in {}: {}", file, e.getMessage());
        if (line.startsWith(GAP + ' ')) {
          // Without the span, any entry older than a trimmed one could be a stale base.
          return Entries.NONE;
        }
      }
    }
    return new Entries(out, gap);
  }

  /**
   * The common base of two concurrent versions: of the entries of {@code path} whose vector
   * both {@code a} and {@code b} include, the latest (one that every other such entry precedes,
   * or, among several that none follows, the one with the largest sum of counters, then the
   * smallest content hash: a choice every device makes alike), if it is provably their latest
   * common version: its vector is the element-wise minimum of theirs, and no version trimmed
   * or skipped here could be later. Empty otherwise: a merge against an older base could undo
   * an edit.
   */
  public synchronized Optional<Base> baseOf(RelativePath path, VersionVector a, VersionVector b) throws IOException {
    Entries entries = entries(path);
    List<Base> candidates = new ArrayList<>();
    for (Base e : entries.bases()) {
      if (a.dominates(e.version()) && b.dominates(e.version())) {
        candidates.add(e);
      }
    }
    candidates.removeIf(e -> candidates.stream().anyMatch(o -> o != e && o.version().dominates(e.version())
        && !o.version().equals(e.version())));
    Optional<Base> latest = candidates.stream().max(Comparator.<Base>comparingLong(e -> sum(e.version()))
        .thenComparing(Base::contentHash, Comparator.reverseOrder()));
    if (entries.gap() != null && entries.gap().mayHide(a, b, latest.map(Base::version).orElse(null))) {
      log.debug("no merge base for {}: a version both sides include was trimmed", path);
      return Optional.empty();
    }
    if (latest.isPresent() && !latest.get().version().equals(meet(a, b))) {
      // Every version both include is included in their meet: a base equal to it is their latest
      // common version. Short of it, a version both include may never have been kept here (one
      // this device never held, a step lost in a crash, a damaged entry file), or the two have
      // more than one latest common version (each merged the same two versions): no base.
      log.debug("no merge base for {}: the latest kept version both include is older than their meet", path);
      return Optional.empty();
    }
    return latest;
  }

  /** The element-wise minimum of two vectors: the latest vector both include. */
  static VersionVector meet(VersionVector a, VersionVector b) {
    Map<DeviceId, Long> min = new HashMap<>();
    for (Map.Entry<DeviceId, Long> c : a.counters().entrySet()) {
      long other = b.get(c.getKey());
      if (other > 0) {
        min.put(c.getKey(), Math.min(c.getValue(), other));
      }
    }
    return VersionVector.of(min);
  }

  /** The bytes of the content with {@code contentHash}, checked against it; empty if not kept (or damaged). */
  public synchronized Optional<byte[]> content(Sha256 contentHash) throws IOException {
    Path object = objects.resolve(contentHash.toString());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(object);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!contentHashOf(bytes).equals(contentHash)) {
      log.warn("the merge base {} is damaged; removing it", object);
      Files.deleteIfExists(object);
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  /**
   * Drops the entries of {@code path} that can no longer be a base: those a later entry follows
   * whose version every one of {@code holders} includes. Pass the versions this device and every
   * other device it knows of hold, a device named in any of those versions included (if one of them
   * has no record of the path, it holds nothing known, and nothing is dropped). The latest entries
   * {@code current} (the version this device holds) follows stay whatever the holders: a device
   * this one cannot know of (never met, and named in no version of the path it has seen) may hold
   * one of them and edit it.
   */
  public synchronized void prune(RelativePath path, VersionVector current, Collection<VersionVector> holders)
      throws IOException {
    Entries read = entries(path);
    List<Base> keep = pruned(read.bases(), current, holders);
    if (keep.size() != read.bases().size()) {
      writeEntries(path, keep, read.gap());
    }
  }

  /** {@code entries} without those {@link #prune} drops. */
  private static List<Base> pruned(List<Base> entries, VersionVector current, Collection<VersionVector> holders) {
    if (entries.size() < 2) {
      return entries;
    }
    List<Base> keep = new ArrayList<>();
    for (Base e : entries) {
      boolean superseded = entries.stream().anyMatch(w -> !w.version().equals(e.version())
          && w.version().dominates(e.version())
          && holders.stream().allMatch(h -> h.dominates(w.version())));
      if (!superseded || directlyBefore(e, current, entries)) {
        keep.add(e);
      }
    }
    return keep;
  }

  /** Whether {@code current} follows {@code e} with no other entry between them. */
  private static boolean directlyBefore(Base e, VersionVector current, List<Base> entries) {
    return before(e.version(), current) && entries.stream()
        .noneMatch(o -> before(e.version(), o.version()) && before(o.version(), current));
  }

  private static boolean before(VersionVector earlier, VersionVector later) {
    return !earlier.equals(later) && later.dominates(earlier);
  }

  /** Forgets every entry of {@code path} (its content goes at the next sweep if nothing else names it). */
  public synchronized void forget(RelativePath path) throws IOException {
    Files.deleteIfExists(paths.resolve(fileName(path)));
  }

  /** The bytes of content kept. */
  public synchronized long bytes() {
    return bytes;
  }

  /**
   * Removes content no entry names and entry files that name no content kept, then the least
   * recently kept content while more than the bound is kept (an entry naming it then finds no base).
   */
  public synchronized void sweep() throws IOException {
    sweep(maxBytes);
  }

  /**
   * The full sweep: removes entry files none of whose content is kept and content no entry
   * names, then evicts down to {@code target} bytes if over the bound.
   */
  private void sweep(long target) throws IOException {
    sweeps++;
    keepsSinceSweep = 0;
    Map<String, Long> kept = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(objects)) {
      for (Path o : files) {
        kept.put(o.getFileName().toString(), Files.size(o));
      }
    }
    Set<String> named = new HashSet<>();
    long entries = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(paths)) {
      for (Path f : files) {
        boolean live = false;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          int space = line.indexOf(' ');
          if (space == 64 && kept.containsKey(line.substring(0, space))) {
            named.add(line.substring(0, space));
            live = true;
          }
        }
        if (live) {
          entries++;
        } else {
          Files.deleteIfExists(f);
        }
      }
    }
    entryFilesAtSweep = entries;
    long total = 0;
    for (Map.Entry<String, Long> o : kept.entrySet()) {
      if (named.contains(o.getKey())) {
        total += o.getValue();
      } else {
        Files.deleteIfExists(objects.resolve(o.getKey()));
      }
    }
    bytes = total;
    if (total > maxBytes) {
      evict(target);
    }
  }

  /**
   * Removes the least recently kept content until at most {@code target} bytes are kept; reads
   * the content folder only (an entry naming removed content finds no base).
   */
  private void evict(long target) throws IOException {
    evictions++;
    Map<Path, FileTime> times = new HashMap<>();
    Map<Path, Long> sizes = new HashMap<>();
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(objects)) {
      for (Path o : files) {
        java.nio.file.attribute.BasicFileAttributes a =
            Files.readAttributes(o, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        times.put(o, a.lastModifiedTime());
        sizes.put(o, a.size());
        total += a.size();
      }
    }
    List<Path> oldestFirst = new ArrayList<>(times.keySet());
    oldestFirst.sort(Comparator.comparing(times::get));
    for (Path o : oldestFirst) {
      if (total <= target) {
        break;
      }
      total -= sizes.get(o);
      Files.deleteIfExists(o);
      log.debug("merge bases over {} bytes: removed {}", maxBytes, o.getFileName());
    }
    bytes = total;
  }

  private void writeEntries(RelativePath path, List<Base> entries, Gap gap) throws IOException {
    Path file = paths.resolve(fileName(path));
    if (entries.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    StringBuilder b = new StringBuilder(HEADER).append('\n')
        .append(Base64.getEncoder().encodeToString(path.toString().getBytes(StandardCharsets.UTF_8))).append('\n');
    for (Base e : entries) {
      b.append(e.contentHash()).append(' ').append(format(e.version())).append('\n');
    }
    if (gap != null) {
      b.append(GAP).append(' ').append(format(gap.earliest())).append(' ').append(format(gap.latest())).append('\n');
    }
    Path t = tmp.resolve(UUID.randomUUID() + ".entries");
    write(t, b.toString().getBytes(StandardCharsets.UTF_8));
    move(t, file);
  }

  private static String fileName(RelativePath path) {
    return Sha256.of(path.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String format(VersionVector v) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<DeviceId, Long> c : v.counters().entrySet()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(c.getKey()).append('=').append(c.getValue());
    }
    return b.toString();
  }

  private static Base parse(String line) {
    int space = line.indexOf(' ');
    if (space != 64) {
      throw new IllegalArgumentException("no content hash");
    }
    return new Base(parseVector(line.substring(space + 1)), Sha256.parse(line.substring(0, space)));
  }

  private static VersionVector parseVector(String rest) {
    Map<DeviceId, Long> counters = new HashMap<>();
    if (!rest.isEmpty()) {
      for (String c : rest.split(",", -1)) {
        int eq = c.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("not a counter: " + c);
        }
        try {
          counters.put(DeviceId.parse(c.substring(0, eq)), Long.parseLong(c.substring(eq + 1)));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a counter: " + c, e);
        }
      }
    }
    return VersionVector.of(counters);
  }

  private static long sum(VersionVector v) {
    long s = 0;
    for (long c : v.counters().values()) {
      s += c;
    }
    return s;
  }

  private static void write(Path file, byte[] content) throws IOException {
    try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(file))) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        out.write(buf);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
