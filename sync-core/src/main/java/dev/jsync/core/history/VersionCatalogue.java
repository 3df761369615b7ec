package dev.jsync.core.history;

import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version store's records, one file per version under {@code records/}
 * ({@link VersionRecords} is their format). A record is written to {@code tmp/}, fsynced and
 * renamed in, so readers, who list {@code records/} only, see a version whole or not at all.
 * What was read is cached by file name and refreshed from the folder before each use, since
 * other processes ({@code jsync restore}) may add and remove records.
 *
 * <p>Thread-safe; writing and removing are for a writer holding the store's lock
 * ({@link StoreFolder#locked}). Every method does file I/O.
 */
final class VersionCatalogue {

  private static final Logger log = LoggerFactory.getLogger(VersionCatalogue.class);

  /** The order versions are listed in: newest first, ties broken by id. */
  static final Comparator<Version> NEWEST_FIRST =
      Comparator.comparing(Version::time).thenComparing(Version::id).reversed();

  private final StoreFolder folder;
  /** Records read so far, by file name. Guarded by this. */
  private final Map<String, Version> cache = new HashMap<>();
  /** Record files that could not be read, reported once each. Guarded by this. */
  private final Set<String> unreadable = new HashSet<>();

  VersionCatalogue(StoreFolder folder) {
    this.folder = folder;
  }

  /** Every version recorded now: reads the records added since the last look and forgets those removed. */
  synchronized Collection<Version> all() throws IOException {
    Path records = folder.records();
    Set<String> names = new HashSet<>();
    if (Files.isDirectory(records, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(records, "*" + StoreFolder.RECORD_SUFFIX)) {
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
        if (!name.equals(v.id() + StoreFolder.RECORD_SUFFIX)) {
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

  /** Writes {@code v}'s record: to {@code tmp/}, fsynced, renamed into {@code records/}, which is fsynced. */
  void add(Version v) throws IOException {
    Path tmp = folder.tmp(v.id() + StoreFolder.RECORD_SUFFIX);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
        LinkOption.NOFOLLOW_LINKS), PrivateFiles.file(tmp))) {
      ByteBuffer bytes = ByteBuffer.wrap(VersionRecords.encode(v));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    StoreFolder.move(tmp, folder.record(v.id()));
    StoreFolder.fsyncDirectory(folder.records());
    synchronized (this) {
      cache.put(v.id() + StoreFolder.RECORD_SUFFIX, v);
    }
  }

  /** Removes {@code v}'s record; durable only after {@link #sync}. */
  void remove(Version v) throws IOException {
    Files.deleteIfExists(folder.record(v.id()));
    synchronized (this) {
      cache.remove(v.id() + StoreFolder.RECORD_SUFFIX);
    }
  }

  /** Makes the records' removals durable. */
  void sync() {
    StoreFolder.fsyncDirectory(folder.records());
  }
}
