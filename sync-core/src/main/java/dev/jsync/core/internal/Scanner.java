package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.LocalSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what changed on disk since the index last looked: new, changed and vanished paths.
 *
 * <p>A file whose size, modification time and file key match what the index recorded is not
 * read again; a changed one is hashed block by block. A file that changes while it is being
 * hashed is reported as {@code unstable} and left for a later scan. Ignored paths and folders
 * are skipped (their subtrees are not walked), and links are recorded, never followed.
 *
 * <p>Runs on an I/O thread; reads the store but never writes it. Given an executor, a scan
 * that meets many changed files hashes them on helpers from it too ({@link ScanHashing}), and
 * reports the same changes in the same order as without. Not thread-safe (it holds a
 * {@link BlockHasher}): one scan at a time.
 */
public final class Scanner {

  private static final Logger log = LoggerFactory.getLogger(Scanner.class);

  private final DiskView disk;
  private final IndexStore store;
  private final BlockHasher hasher = new BlockHasher();
  private final Executor hashHelpers;
  /** The index in flat arrays for full scans, kept between them (one full scan at a time). */
  private final IndexDigest digest = new IndexDigest();
  /** How the folder's disk compares names (set at start; see {@link StoredNames}, {@link NfcNames}). */
  private volatile FolderNaming naming = FolderNaming.EXACT;
  /** Files hashed too soon after their last write to trust their stat ({@link RacyFiles}). */
  private final RacyFiles racy;
  /** The wall clock that file modification times are compared with, in nanoseconds. */
  private final LongSupplier nowNanos;

  public Scanner(DiskView disk, IndexStore store) {
    this(disk, store, null);
  }

  /**
   * A scanner that hashes with the help of {@code hashHelpers}: the runs of a large file (see
   * {@link BlockHasher#hash(DiskFile, Executor)}) and, in a scan of many changed files, the files
   * themselves ({@link ScanHashing}); null for none.
   */
  public Scanner(DiskView disk, IndexStore store, Executor hashHelpers) {
    this(disk, store, hashHelpers, new RacyFiles(), Scanner::systemNanos);
  }

  Scanner(DiskView disk, IndexStore store, Executor hashHelpers, RacyFiles racy, LongSupplier nowNanos) {
    this.disk = disk;
    this.store = store;
    this.hashHelpers = hashHelpers;
    this.racy = racy;
    this.nowNanos = nowNanos;
  }

  private static long systemNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Told of each name renamed to its NFC form ({@link NfcNames}), on the scanning thread. */
  private volatile Consumer<SyncEvent.NameNormalized> renamed = r -> {};

  /** Sets what is told of each name the scanner renames to its NFC form. */
  void onRenamed(Consumer<SyncEvent.NameNormalized> sink) {
    this.renamed = sink;
  }

  /** Sets how the folder's disk compares names. */
  void naming(FolderNaming naming) {
    this.naming = naming;
  }

  /** Changes are handed over in chunks of this many, so a scan's memory does not grow with the folder. */
  static final int CHUNK = 1000;

  /**
   * What a scan found; {@code changes} holds what was not already handed to a sink.
   *
   * @param temps jSync's temp files the walk passed (full scans only): the engine removes those
   *     that no download needs any more
   */
  public record Result(List<ScanItem> changes, List<RelativePath> unstable, List<String> errors, List<Path> temps) {

    public Result(List<ScanItem> changes, List<RelativePath> unstable, List<String> errors) {
      this(changes, unstable, errors, List.of());
    }
  }

  /** Walks the whole folder and compares it with the local index, collecting every change. */
  public Result scanAll(IgnoreRules ignores) {
    return scanAll(ignores, null);
  }

  /**
   * Walks the whole folder and compares it with the local index. Every {@value #CHUNK} changes
   * go to {@code sink} (if given) as they are found; the rest come back in the result.
   */
  public Result scanAll(IgnoreRules ignores, Consumer<List<ScanItem>> sink) {
    List<ScanItem> changes = new ScanChunks(sink);
    List<RelativePath> unstable = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Path> temps = new ArrayList<>();
    // One sequential pass over the index into flat arrays (IndexDigest) instead of a point lookup
    // per file: on 100,000 files that is the difference between a rescan well under a second
    // and two. What the walk does not find was deleted: a second pass over the index names it.
    synchronized (digest) {
      try (ScanHashing hashing = new ScanHashing(hasher, hashHelpers)) {
        digest.clear();
        store.forEachLocalSummary(digest::add);
        walk(null, ignores, errors, temps::add, (path, observed) -> {
          if (!digest.foundUnchanged(path.toString(), observed) || racy.isRacy(path, observed.stat())) {
            check(path, Optional.of(observed), hashing, changes, unstable, errors);
          }
        });
        if (digest.anyLiveMissed()) {
          List<LocalSummary> missed = new ArrayList<>();
          store.forEachLocalSummary(known -> {
            if (digest.mayHaveVanished(known)
                && !ignores.isIgnoredWithAncestors(known.path(), known.kind() == FileKind.DIRECTORY)) {
              missed.add(known);
            }
          });
          for (LocalSummary known : missed) {
            recheck(known.path(), ignores, hashing, changes, unstable, errors);
          }
        }
        hashing.finish();
      }
    }
    return new Result(changes, unstable, errors, temps);
  }

  /** True if the summary of an index entry still describes what is on disk. */
  private static boolean describes(LocalSummary known, Observed o) {
    if (known.deleted() || known.kind() != o.kind()) {
      return false;
    }
    return switch (o.kind()) {
      case DIRECTORY -> true;
      case SYMLINK -> known.symlinkTarget().equals(o.symlinkTarget());
      case FILE -> o.executableOr(known.executable()) == known.executable()
          && known.stat().map(s -> s.equals(o.stat())).orElse(false);
    };
  }

  /**
   * Looks at the given paths only: each one, everything below it if it is a folder, and
   * everything the index holds below it if it is gone.
   */
  public Result scanPaths(Collection<RelativePath> paths, IgnoreRules ignores) {
    return scanPaths(paths, ignores, null);
  }

  /** As {@link #scanPaths(Collection, IgnoreRules)}, handing changes to {@code sink} in chunks. */
  public Result scanPaths(Collection<RelativePath> paths, IgnoreRules ignores, Consumer<List<ScanItem>> sink) {
    List<ScanItem> changes = new ScanChunks(sink);
    List<RelativePath> unstable = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<RelativePath> done = new HashSet<>();
    try (ScanHashing hashing = new ScanHashing(hasher, hashHelpers)) {
      for (RelativePath p : paths) {
        if (done.add(p)) {
          scanPath(p, ignores, done, hashing, changes, unstable, errors);
        }
      }
      hashing.finish();
    }
    return new Result(changes, unstable, errors);
  }

  private void scanPath(RelativePath p, IgnoreRules ignores, Set<RelativePath> done, ScanHashing hashing,
      List<ScanItem> changes, List<RelativePath> unstable, List<String> errors) {
    Optional<Observed> observed;
    try {
      observed = StoredNames.observe(disk, naming, p); // a case variant's file is not p's
    } catch (IOException e) {
      hashing.then(() -> errors.add(p + ": " + e.getMessage()));
      return;
    }
    if (observed.isPresent() && ignores.isIgnoredWithAncestors(p, observed.get().kind() == FileKind.DIRECTORY)) {
      return;
    }
    check(p, observed, hashing, changes, unstable, errors);
    if (observed.isPresent() && observed.get().kind() == FileKind.DIRECTORY) {
      walk(p, ignores, errors, null, (child, o) -> {
        if (done.add(child)) {
          check(child, Optional.of(o), hashing, changes, unstable, errors);
        }
      });
    }
    boolean wasFolder = store.local(p).map(e -> !e.record().deleted() && e.record().kind() == FileKind.DIRECTORY)
        .orElse(false);
    if (wasFolder && (observed.isEmpty() || observed.get().kind() != FileKind.DIRECTORY)) {
      // A folder gone, or replaced by a file: whatever the index holds below it is gone too.
      // (Only for paths the index knows as folders: a file has nothing below it, and this
      // lookup must not cost a range scan for every file event.)
      store.forEachLocalUnder(p, entry -> {
        RelativePath child = entry.record().path();
        if (!child.equals(p) && !entry.record().deleted() && done.add(child)) {
          recheck(child, ignores, hashing, changes, unstable, errors);
        }
      });
    }
  }

  private void recheck(RelativePath p, IgnoreRules ignores, ScanHashing hashing, List<ScanItem> changes,
      List<RelativePath> unstable, List<String> errors) {
    try {
      Optional<Observed> now = StoredNames.observe(disk, naming, p); // a case variant's file is not p's
      if (now.isPresent() && ignores.isIgnoredWithAncestors(p, now.get().kind() == FileKind.DIRECTORY)) {
        return;
      }
      check(p, now, hashing, changes, unstable, errors);
    } catch (IOException e) {
      hashing.then(() -> errors.add(p + ": " + e.getMessage()));
    }
  }

  /**
   * Compares what is at {@code p} with the index; a file that may have changed is hashed through
   * {@code hashing}, and what the look found is added to the lists in the order of the looks.
   */
  private void check(RelativePath p, Optional<Observed> observed, ScanHashing hashing, List<ScanItem> changes,
      List<RelativePath> unstable, List<String> errors) {
    Optional<LocalEntry> base = store.local(p);
    if (observed.isEmpty()) {
      racy.forget(p);
      if (base.isPresent() && !base.get().record().deleted()) {
        hashing.then(() -> changes.add(new ScanItem(p, base, observed, Optional.empty())));
      }
      return;
    }
    Observed o = observed.get();
    boolean statMatches = base.isPresent() && unchanged(base.get(), o);
    if (statMatches && !racy.isRacy(p, o.stat())) {
      return;
    }
    if (o.kind() != FileKind.FILE) {
      racy.forget(p);
      hashing.then(() -> changes.add(new ScanItem(p, base, observed, Optional.empty())));
      return;
    }
    hashing.hash(h -> {
      try {
        HashedContent content;
        try (DiskFile file = disk.openForHashing(p)) {
          content = h.hash(file, hashHelpers);
        }
        long looked = nowNanos.getAsLong();
        Optional<Observed> after = disk.observe(p);
        if (after.isEmpty() || !after.get().equals(o) || content.size() != o.stat().size()) {
          return () -> unstable.add(p); // changed while hashed
        }
        racy.looked(p, o.stat(), looked);
        if (statMatches && base.get().record().contentHash().equals(content.contentHash())) {
          return () -> {}; // read again only because its stat was racy: still the recorded content
        }
        return () -> changes.add(new ScanItem(p, base, observed, Optional.of(content)));
      } catch (IOException e) {
        return () -> errors.add(p + ": " + e.getMessage());
      }
    });
  }

  /** True if the index already describes what is on disk. */
  static boolean unchanged(LocalEntry entry, Observed o) {
    return describes(LocalSummary.of(entry), o);
  }

  /**
   * Walks everything below {@code start} (the root if null; {@code start} itself is not
   * visited), parents before their contents, skipping the state folder, temp files, ignored
   * paths (an ignored folder's subtree is not read) and anything that is not a file, folder or
   * link. Links are reported, never followed.
   *
   * <p>Its own walk rather than {@link Files#walkFileTree}: that one reads basic attributes,
   * which on Linux come wrapped without the permissions, so the executable bit cost a second
   * {@code stat} of every file; and each child's path is checked as one new name below its
   * already checked parent ({@link RelativePath#resolve}) instead of as a whole path.
   */
  private void walk(RelativePath start, IgnoreRules ignores, List<String> errors, Consumer<Path> temps,
      BiConsumer<RelativePath, Observed> visit) {
    Deque<Folder> pending = new ArrayDeque<>();
    pending.push(new Folder(start, start == null ? disk.root() : disk.resolve(start)));
    while (!pending.isEmpty()) {
      Folder next = pending.pop();
      RelativePath parent = next.path();
      Path dir = next.dir();
      try {
        for (Path listed : disk.disk().list(dir)) {
          Path file = listed;
          String name = file.getFileName().toString();
          if (temps != null && name.startsWith(RelativePath.TEMP_PREFIX)) {
            temps.accept(file);
            continue;
          }
          boolean renamedToNfc = false;
          if (!NfcNames.isNfc(name)) {
            file = NfcNames.toNfc(naming, file, errors); // synced under its NFC name
            if (file == null) {
              continue;
            }
            renamedToNfc = !file.equals(listed);
          }
          RelativePath rel = child(parent, name, file, errors);
          if (rel == null) {
            continue;
          }
          if (renamedToNfc) {
            renamed.accept(new SyncEvent.NameNormalized(rel, name));
          }
          BasicFileAttributes attrs;
          try {
            attrs = disk.attributes(file);
          } catch (IOException e) {
            errors.add(file + ": " + e.getMessage());
            continue;
          }
          if (attrs == null || !DiskView.isSyncable(attrs)) {
            continue; // gone since the listing, or a device, socket or pipe
          }
          boolean folder = attrs.isDirectory();
          if (ignores.isIgnored(rel, folder)) {
            continue;
          }
          visit.accept(rel, disk.toObserved(file, attrs));
          if (folder) {
            pending.push(new Folder(rel, file));
          }
        }
      } catch (IOException e) {
        errors.add(dir + ": " + e.getMessage());
      }
    }
  }

  /** A folder waiting to be listed: its path (null for the root) and where it is. */
  private record Folder(RelativePath path, Path dir) {}

  /**
   * The path of {@code name} in {@code parent} (null: the root), or null if it is not synced:
   * the state folder and temp files silently, an unsafe name with a warning.
   */
  private static RelativePath child(RelativePath parent, String name, Path file, List<String> errors) {
    if (parent == null && name.equals(RelativePath.STATE_DIR_NAME) || name.startsWith(RelativePath.TEMP_PREFIX)) {
      return null;
    }
    try {
      return parent == null ? RelativePath.of(name) : parent.resolve(name);
    } catch (InvalidRelativePathException e) {
      log.warn("not syncing {}: {}", file, e.getMessage());
      errors.add(e.getMessage());
      return null;
    }
  }
}
