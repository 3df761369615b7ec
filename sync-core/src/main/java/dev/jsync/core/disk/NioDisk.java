package dev.jsync.core.disk;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@link Disk} through {@code java.nio.file}, on whatever file system a path belongs to. Stateless. */
final class NioDisk implements Disk {

  static final NioDisk INSTANCE = new NioDisk();

  private static final Set<StandardOpenOption> READ = Set.of(StandardOpenOption.READ);

  private NioDisk() {}

  @Override
  public <A extends BasicFileAttributes> A attributes(Path file, Class<A> type) throws IOException {
    return Files.readAttributes(file, type, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public String storeType(Path dir) throws IOException {
    return Files.getFileStore(dir).type();
  }

  @Override
  public Path readLink(Path link) throws IOException {
    return Files.readSymbolicLink(link);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        out.add(p);
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    return out;
  }

  /**
   * Where the file system offers {@link SecureDirectoryStream} (Linux, Jimfs), each folder is
   * opened relative to the one above it with {@code NOFOLLOW_LINKS} and the file relative to its
   * folder, so there is no window between a check and the use. Elsewhere (Windows, and macOS
   * where the JDK has no such stream) the folders above are checked before and after the file is
   * opened with {@code NOFOLLOW_LINKS}: a folder swapped for a link and back between those two
   * checks goes unnoticed, which is why callers serving peers also check what they read against
   * the index's block hashes.
   */
  @Override
  public DiskFile openForReading(Path root, RelativePath path) throws IOException {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (top instanceof SecureDirectoryStream<Path> secure) {
        return new ChannelFile(openBelow(root, secure, path));
      }
    }
    checkNoLinkAbove(root, path);
    SeekableByteChannel ch = Files.newByteChannel(root.resolve(path.toString()),
        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    try {
      checkNoLinkAbove(root, path);
      return new ChannelFile(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static SeekableByteChannel openBelow(Path root, SecureDirectoryStream<Path> top, RelativePath path)
      throws IOException {
    List<String> segments = path.segments();
    return openBelow(root, top, segments.subList(0, segments.size() - 1), segments.get(segments.size() - 1),
        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  /** Opens {@code name} in the folder {@code folders} below {@code top}, each relative to the last. */
  private static SeekableByteChannel openBelow(Path root, SecureDirectoryStream<Path> top, List<String> folders,
      String name, Set<? extends OpenOption> options) throws IOException {
    List<SecureDirectoryStream<Path>> opened = new ArrayList<>(folders.size());
    try {
      SecureDirectoryStream<Path> dir = top;
      for (String folder : folders) {
        dir = dir.newDirectoryStream(root.getFileSystem().getPath(folder), LinkOption.NOFOLLOW_LINKS);
        opened.add(dir);
      }
      return dir.newByteChannel(root.getFileSystem().getPath(name), options);
    } finally {
      for (SecureDirectoryStream<Path> d : opened) {
        d.close();
      }
    }
  }

  private static void checkNoLinkAbove(Path root, RelativePath path) throws IOException {
    for (RelativePath ancestor : path.ancestors()) {
      if (Files.isSymbolicLink(root.resolve(ancestor.toString()))) {
        throw new IOException("refusing to read " + path + ": its folder " + ancestor
            + " is a symbolic link, which jSync never follows");
      }
    }
  }

  @Override
  public DiskFile openForHashing(Path file) throws IOException {
    return new ChannelFile(FileChannel.open(file, READ));
  }

  @Override
  public DiskFile createNew(Path file) throws IOException {
    return new ChannelFile(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE));
  }

  @Override
  public DiskFile openForWriting(Path file) throws IOException {
    return new ChannelFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Where the file system offers {@link SecureDirectoryStream} (Linux, Jimfs), each folder is
   * opened relative to the one above it with {@code NOFOLLOW_LINKS} and the file is made in the
   * last one with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}: no window between a check and
   * the use. Elsewhere, the check before and after of {@link Disk#createNewNextTo}.
   */
  @Override
  public DiskFile createNewNextTo(Path root, RelativePath file, String name) throws IOException {
    SeekableByteChannel ch = openNextTo(root, file, name, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    return ch != null ? new ChannelFile(ch) : Disk.super.createNewNextTo(root, file, name);
  }

  /** As {@link #createNewNextTo}, for a file that is there. */
  @Override
  public DiskFile openForWritingNextTo(Path root, RelativePath file, String name) throws IOException {
    SeekableByteChannel ch = openNextTo(root, file, name, Set.of(StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    return ch != null ? new ChannelFile(ch) : Disk.super.openForWritingNextTo(root, file, name);
  }

  /** The channel, opened relative to each folder on the way; null where the JDK cannot. */
  private static SeekableByteChannel openNextTo(Path root, RelativePath file, String name,
      Set<? extends OpenOption> options) throws IOException {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (top instanceof SecureDirectoryStream<Path> secure) {
        List<String> segments = file.segments();
        return openBelow(root, secure, segments.subList(0, segments.size() - 1), name, options);
      }
    }
    return null;
  }

  /**
   * Where the file system offers {@link SecureDirectoryStream} (Linux, Jimfs), the rename is made
   * in the folder opened relative to each one above it with {@code NOFOLLOW_LINKS}: a folder
   * swapped for a link fails the open, it is never followed. Elsewhere, Disk's check then rename.
   * Only on the platform's own file system, whose relative rename ({@code renameat}) replaces the
   * target as {@link #move} does; Jimfs's refuses to replace it.
   */
  @Override
  public void moveNextTo(Path root, RelativePath file, String from) throws IOException {
    if (root.getFileSystem() != java.nio.file.FileSystems.getDefault()
        || !inFolderOf(root, file, (dir, name) -> dir.move(root.getFileSystem().getPath(from), dir, name))) {
      Disk.super.moveNextTo(root, file, from);
    }
  }

  /** As {@link #moveNextTo}: the delete is made in the folder opened relative to those above it. */
  @Override
  public void deleteBelow(Path root, RelativePath path) throws IOException {
    boolean done = inFolderOf(root, path, (dir, name) -> {
      BasicFileAttributes a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes();
      if (a.isDirectory()) {
        dir.deleteDirectory(name);
      } else {
        dir.deleteFile(name);
      }
    });
    if (!done) {
      Disk.super.deleteBelow(root, path);
    }
  }

  /** An operation on the entry {@code name} of the opened folder {@code dir}. */
  private interface InFolder {
    void run(SecureDirectoryStream<Path> dir, Path name) throws IOException;
  }

  /**
   * Runs {@code op} in the folder holding {@code path}, opened relative to each folder above it
   * with {@code NOFOLLOW_LINKS}; false, having done nothing, where the JDK cannot open folders so.
   */
  private static boolean inFolderOf(Path root, RelativePath path, InFolder op) throws IOException {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (!(top instanceof SecureDirectoryStream<Path> secure)) {
        return false;
      }
      List<String> segments = path.segments();
      List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
      try {
        SecureDirectoryStream<Path> dir = secure;
        for (String folder : segments.subList(0, segments.size() - 1)) {
          dir = dir.newDirectoryStream(root.getFileSystem().getPath(folder), LinkOption.NOFOLLOW_LINKS);
          opened.add(dir);
        }
        op.run(dir, root.getFileSystem().getPath(segments.get(segments.size() - 1)));
        return true;
      } finally {
        for (SecureDirectoryStream<Path> d : opened) {
          d.close();
        }
      }
    }
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(Path file) throws IOException {
    Files.delete(file);
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public void createLink(Path link, Path target) throws IOException {
    Files.createSymbolicLink(link, target);
  }

  @Override
  public void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
    Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setPermissions(permissions);
  }

  @Override
  public void setModifiedTime(Path file, FileTime time) throws IOException {
    Files.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(time, null, null);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir, READ);
    } catch (NoSuchFileException e) {
      return; // gone since: its entries went with it, and there is nothing left to sync
    } catch (IOException | UnsupportedOperationException e) {
      return; // folders cannot be opened here (Windows): a rename is durable once it returns
    }
    try (ch) {
      ch.force(true);
    }
  }

  /**
   * A {@link DiskFile} over a channel: positional where the channel is a {@link FileChannel}
   * (every channel the JDK and Jimfs open is), else through the channel's position, one caller
   * at a time.
   */
  private static final class ChannelFile implements DiskFile {
    private final SeekableByteChannel ch;

    ChannelFile(SeekableByteChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      if (ch instanceof FileChannel fc) {
        return fc.read(dst, position);
      }
      synchronized (ch) {
        ch.position(position);
        return ch.read(dst);
      }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (ch instanceof FileChannel fc) {
        return fc.write(src, position);
      }
      synchronized (ch) {
        ch.position(position);
        return ch.write(src);
      }
    }

    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public void truncate(long size) throws IOException {
      ch.truncate(size);
    }

    @Override
    public void force() throws IOException {
      if (ch instanceof FileChannel fc) {
        fc.force(true);
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
