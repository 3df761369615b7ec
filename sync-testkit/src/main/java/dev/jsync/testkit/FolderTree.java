package dev.jsync.testkit;

import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a synced folder holds, as the invariants compare it: every path with its kind, and for a
 * file its content's SHA-256 and executable bit, for a link its target. jSync's temp files
 * ({@code .jsync-tmp-*}) and its state folder ({@code .jsync} at the root) are left out.
 * Immutable; {@link #of(Path)} reads the folder (I/O).
 */
public final class FolderTree {

  /** What is at one path. */
  public sealed interface Entry {}

  /** A regular file. */
  public record File(Sha256 content, long size, boolean executable) implements Entry {
    @Override
    public String toString() {
      return "file " + content.toString().substring(0, 12) + " " + size + "B" + (executable ? " +x" : "");
    }
  }

  /** A folder. */
  public record Folder() implements Entry {
    @Override
    public String toString() {
      return "folder";
    }
  }

  /** A symbolic link. */
  public record Link(String target) implements Entry {
    @Override
    public String toString() {
      return "link -> " + target;
    }
  }

  private final NavigableMap<String, Entry> entries;

  private FolderTree(NavigableMap<String, Entry> entries) {
    this.entries = Collections.unmodifiableNavigableMap(entries);
  }

  /** This tree without the paths {@code dropped} names. */
  public FolderTree without(java.util.function.Predicate<String> dropped) {
    TreeMap<String, Entry> out = new TreeMap<>(entries);
    out.keySet().removeIf(dropped);
    return new FolderTree(out);
  }

  /** Reads the tree under {@code root}. */
  public static FolderTree of(Path root) {
    TreeMap<String, Entry> out = new TreeMap<>();
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(root)) {
            return FileVisitResult.CONTINUE;
          }
          String rel = relative(root, dir);
          if (rel.equals(RelativePath.STATE_DIR_NAME)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          out.put(rel, new Folder());
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (isTemp(file)) {
            return FileVisitResult.CONTINUE;
          }
          String rel = relative(root, file);
          if (attrs.isSymbolicLink()) {
            out.put(rel, new Link(Files.readSymbolicLink(file).toString()));
          } else if (attrs.isRegularFile()) {
            byte[] bytes = Files.readAllBytes(file);
            boolean exec = posix && Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            out.put(rel, new File(Sha256.of(bytes), bytes.length, exec));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FolderTree(out);
  }

  /**
   * jSync's temp files ({@code .jsync-tmp-*}) anywhere in the folder at {@code root}, as paths
   * relative to it, sorted. A converged folder holds none.
   */
  public static List<String> tempFiles(Path root) {
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      all.filter(p -> !p.equals(root) && isTemp(p) && !root.relativize(p).startsWith(RelativePath.STATE_DIR_NAME))
          .forEach(p -> out.add(relative(root, p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(out);
    return out;
  }

  /** Whether {@code file} is one of jSync's temp files. */
  static boolean isTemp(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().startsWith(RelativePath.TEMP_PREFIX);
  }

  static String relative(Path root, Path p) {
    StringBuilder b = new StringBuilder();
    for (Path part : root.relativize(p)) {
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(part);
    }
    return b.toString();
  }

  /** Every entry, by path ({@code /}-separated, relative to the root). */
  public NavigableMap<String, Entry> entries() {
    return entries;
  }

  /** The entry at {@code path}, or null. */
  public Entry get(String path) {
    return entries.get(path);
  }

  /** Paths of conflict copies in the tree. */
  public List<String> conflictCopies() {
    List<String> out = new ArrayList<>();
    for (String p : entries.keySet()) {
      if (WriteHistory.isConflictCopy(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The paths where the two trees differ. */
  public List<String> diffPaths(FolderTree other) {
    List<String> out = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(other.entries.keySet());
    for (String p : paths) {
      if (!Objects.equals(entries.get(p), other.entries.get(p))) {
        out.add(p);
      }
    }
    return out;
  }

  /** A line per path where the two trees differ, for failure messages. */
  public List<String> diff(FolderTree other) {
    List<String> out = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(other.entries.keySet());
    for (String p : paths) {
      Entry a = entries.get(p);
      Entry b = other.entries.get(p);
      if (!Objects.equals(a, b)) {
        out.add(p + ": " + (a == null ? "absent" : a) + " vs " + (b == null ? "absent" : b));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FolderTree t && t.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    return b.toString();
  }
}
