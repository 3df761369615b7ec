package dev.jsync.core.history;

import dev.jsync.core.PrivateFiles;
import dev.jsync.core.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version store's content: one file per distinct content under {@code objects/}, named by
 * its SHA-256. Content is taken into {@code tmp/} (a hard link where it can be, else a copy),
 * hashed and fsynced there, then renamed into {@code objects/}, so an object is always whole.
 *
 * <p>Called only by a writer holding the store's lock ({@link StoreFolder#locked}). Every
 * method does file I/O.
 */
final class ContentObjects {

  private static final Logger log = LoggerFactory.getLogger(ContentObjects.class);

  /** A content taken into {@code tmp/}: its SHA-256 in hex and its size. */
  record Hashed(String sha256, long size) {}

  private final StoreFolder folder;

  ContentObjects(StoreFolder folder) {
    this.folder = folder;
  }

  /**
   * Takes {@code file}'s content into {@code tmp}, hashed and fsynced: as a hard link to its
   * inode when {@code link} and the file system allows it, else as a copy.
   */
  Hashed take(Path file, Path tmp, boolean link) throws IOException {
    Hashed content = link ? linkAndHash(file, tmp) : null;
    return content != null ? content : copyAndHash(file, tmp);
  }

  /**
   * Moves content taken by {@link #take} into {@code objects/}; where that content is kept
   * already, deletes {@code tmp} instead.
   */
  void install(Hashed content, Path tmp) throws IOException {
    Path object = folder.object(content.sha256());
    if (Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(tmp); // the same content is kept already
      return;
    }
    boolean newFolder = !Files.isDirectory(object.getParent());
    PrivateFiles.createFolders(object.getParent());
    if (newFolder) {
      StoreFolder.fsyncDirectory(object.getParent().getParent());
    }
    StoreFolder.move(tmp, object);
    StoreFolder.fsyncDirectory(object.getParent());
  }

  /** Removes the content with this SHA-256, if kept. */
  void delete(String sha256) throws IOException {
    Files.deleteIfExists(folder.object(sha256));
  }

  /** Removes every object whose name is not in {@code referenced} (what a crash left unnamed). */
  void removeAllBut(Set<String> referenced) throws IOException {
    Path objects = folder.objects();
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
    MessageDigest digest = Sha256.newDigest();
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
    MessageDigest digest = Sha256.newDigest();
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
}
