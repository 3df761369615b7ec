package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Carries out {@link VersionStore#restore}: chooses the versions, then writes each into the
 * folder atomically. Never writes through a link: a link or a file where a folder above the
 * target should be makes the restore fail. Not thread-safe; one per call.
 */
final class Restorer {

  private final VersionStore store;
  private final Path folder;

  Restorer(VersionStore store, Path folder) {
    this.store = store;
    this.folder = folder;
  }

  List<VersionStore.Restored> restore(RelativePath path, Optional<String> versionId, Optional<RelativePath> to,
      String deviceName) throws IOException {
    List<Version> chosen = choose(path, versionId);
    List<VersionStore.Restored> done = new ArrayList<>();
    for (Version v : chosen) {
      RelativePath target = to.map(t -> relocate(v.path(), path, t)).orElse(v.path());
      if (write(v, target, deviceName)) {
        done.add(new VersionStore.Restored(v, target));
      }
    }
    return done;
  }

  private List<Version> choose(RelativePath path, Optional<String> versionId) throws IOException {
    if (versionId.isPresent()) {
      Version v = store.find(versionId.get()).orElseThrow(() -> new IllegalArgumentException(
          "no version " + versionId.get() + " is kept (jsync history lists the versions kept)"));
      if (!path.contains(v.path())) {
        throw new IllegalArgumentException("version " + v.id() + " is of " + v.path() + ", not of " + path);
      }
      return List.of(v);
    }
    List<Version> under = store.list(List.of(path));
    Optional<Version> own = under.stream().filter(v -> v.path().equals(path)).findFirst();
    if (own.isPresent()) {
      return List.of(own.get());
    }
    if (under.isEmpty()) {
      throw new IllegalArgumentException("no versions of " + path + " are kept");
    }
    // A folder: each file's newest version, where that is what a delete removed and it is missing now.
    Map<RelativePath, Version> newest = new LinkedHashMap<>();
    for (Version v : under) {
      newest.putIfAbsent(v.path(), v);
    }
    List<Version> out = new ArrayList<>();
    for (Version v : newest.values()) {
      if (v.reason() == Version.Reason.DELETED && !Files.exists(resolve(v.path()), LinkOption.NOFOLLOW_LINKS)) {
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("nothing under " + path + " was removed and is still missing; restore a"
          + " file with --version to bring back an older version");
    }
    return out;
  }

  /** {@code p}, which is {@code from} or lies under it, moved to the same place under {@code to}. */
  private static RelativePath relocate(RelativePath p, RelativePath from, RelativePath to) {
    return p.equals(from) ? to : RelativePath.of(to + p.toString().substring(from.toString().length()));
  }

  private Path resolve(RelativePath p) {
    Path out = folder;
    for (String s : p.segments()) {
      out = out.resolve(s);
    }
    return out;
  }

  /** Writes {@code v} at {@code target}; false if the file there holds that content already. */
  private boolean write(Version v, RelativePath target, String deviceName) throws IOException {
    Path file = resolve(target);
    makeFoldersAbove(target);
    if (Files.isSymbolicLink(file) || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(target + " is " + (Files.isSymbolicLink(file) ? "a link" : "a folder")
          + " now: restore it elsewhere with --to");
    }
    Path temp = file.resolveSibling(RelativePath.TEMP_PREFIX + "restore-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    try {
      copyVerified(v, temp);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.size(file) == v.size() && sha256(file).equals(v.sha256())) {
          return false;
        }
        store.keep(target, file, Version.Reason.REPLACED, deviceName);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename " + temp + " atomically", e);
      }
      StoreFolder.fsyncDirectory(file.getParent());
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates the folders above {@code target} that are missing; refuses links and files in the way. */
  private void makeFoldersAbove(RelativePath target) throws IOException {
    for (RelativePath above : target.ancestors()) {
      Path dir = resolve(above);
      if (Files.isSymbolicLink(dir)) {
        throw new IOException(above + " is a link: jsync never writes through one; restore elsewhere with --to");
      }
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(above + " is a file now: restore elsewhere with --to");
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
      }
    }
  }

  /** Copies {@code v}'s content to a new file {@code temp}, checking its hash, and fsyncs it. */
  private void copyVerified(Version v, Path temp) throws IOException {
    Path object = store.content(v);
    MessageDigest digest = dev.jsync.core.Sha256.newDigest();
    try (FileChannel in = FileChannel.open(object, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
            LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (in.read(buf) >= 0) {
        buf.flip();
        digest.update(buf.duplicate());
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        buf.clear();
      }
      out.force(true);
    } catch (NoSuchFileException e) {
      throw new IOException("the content of version " + v.id() + " is gone from the store (expired meanwhile?)", e);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(v.sha256())) {
      throw new IOException("the content of version " + v.id() + " of " + v.path() + " is damaged (its SHA-256 is "
          + actual + ", not " + v.sha256() + "); not restoring it");
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = dev.jsync.core.Sha256.newDigest();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (in.read(buf) >= 0) {
        buf.flip();
        digest.update(buf);
        buf.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
