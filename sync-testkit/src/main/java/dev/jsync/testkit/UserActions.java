package dev.jsync.testkit;

import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.testkit.WriteHistory.Seen;
import dev.jsync.testkit.WriteHistory.SeenFile;
import dev.jsync.testkit.WriteHistory.SeenFolder;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a user does to one node's folder, carried out on disk and recorded in the
 * {@link WriteHistory}. Each method returns the paths it touched (to be scanned), or empty if
 * the operation does not fit the folder as it is and was skipped; a skipped operation changes
 * nothing. Every change stamps the file with the device's clock, as an editor would.
 *
 * <p>Not thread-safe; runs between simulation steps.
 */
final class UserActions {

  private final String node;
  private final Path root;
  private final Clock clock;
  private final WriteHistory history;
  private final boolean foldsCase;

  UserActions(String node, Path root, Clock clock, WriteHistory history) {
    this(node, root, clock, history, false);
  }

  /**
   * Actions on a folder whose file system folds case ({@code foldsCase}: a Mac or Windows
   * node), where a path names whatever the disk holds under a case variant of it.
   */
  UserActions(String node, Path root, Clock clock, WriteHistory history, boolean foldsCase) {
    this.node = node;
    this.root = root;
    this.clock = clock;
    this.history = history;
    this.foldsCase = foldsCase;
  }

  /**
   * The path as this folder holds it: on a folding disk, a name with a case variant there is
   * that variant (writing {@code A.md} where {@code a.md} is writes {@code a.md}, as the file
   * system would), so that what the user did is recorded at the path it changed.
   */
  private String stored(String path) {
    if (!foldsCase) {
      return path;
    }
    StringBuilder out = new StringBuilder();
    Path dir = root;
    for (String segment : path.split("/", -1)) {
      String name = segment;
      try (java.util.stream.Stream<Path> entries = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          ? Files.list(dir) : java.util.stream.Stream.empty()) {
        name = entries.map(e -> e.getFileName().toString())
            .filter(n -> n.equalsIgnoreCase(segment))
            .min(java.util.Comparator.comparing((String n) -> !n.equals(segment)))
            .orElse(segment);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      out.append(out.length() == 0 ? "" : "/").append(name);
      dir = dir.resolve(name);
    }
    return out.toString();
  }

  Optional<List<String>> write(String path, byte[] content, String label) {
    path = stored(path);
    return replaceContent(path, content, false, label);
  }

  /**
   * Replaces the file at {@code path} with {@code change} applied to its bytes (null where there
   * is no file): an edit made in an editor. Skipped where a folder is.
   */
  Optional<List<String>> edit(String path, java.util.function.UnaryOperator<byte[]> change, String label) {
    path = stored(path);
    Path file = resolve(path);
    Seen before = look(file);
    if (before instanceof SeenFolder) {
      return Optional.empty();
    }
    try {
      byte[] old = before == null ? null : Files.readAllBytes(file);
      return replaceContent(path, change.apply(old), false, label);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  Optional<List<String>> append(String path, byte[] more, String label) {
    path = stored(path);
    Path file = resolve(path);
    if (!(look(file) instanceof SeenFile)) {
      return Optional.empty();
    }
    try {
      byte[] old = Files.readAllBytes(file);
      byte[] all = new byte[old.length + more.length];
      System.arraycopy(old, 0, all, 0, old.length);
      System.arraycopy(more, 0, all, old.length, more.length);
      return replaceContent(path, all, true, label);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<List<String>> replaceContent(String path, byte[] content, boolean append, String label) {
    Path file = resolve(path);
    Seen before = look(file);
    if (before instanceof SeenFolder || !parentsCreatable(path)) {
      return Optional.empty();
    }
    try {
      List<String> touched = createParents(path, label);
      if (append) {
        byte[] old = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOfRange(content, old.length, content.length), StandardOpenOption.APPEND);
      } else {
        Files.write(file, content);
      }
      stamp(file);
      boolean exec = before instanceof SeenFile f && f.executable();
      SeenFile now = new SeenFile(Sha256.of(content), exec);
      history.text(now.content(), content);
      if (now.equals(before)) {
        // Saved unchanged (an empty file written empty again): a touch, not a new version.
        touched.add(path);
        return Optional.of(touched);
      }
      if (before != null) {
        history.removed(path, before);
        history.discarded(node, before);
        if (before instanceof SeenFile f) {
          history.editedFrom(now.content(), f.content());
        }
      }
      history.made(node, path, now, label);
      touched.add(path);
      return Optional.of(touched);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed half-way", e);
    }
  }

  /**
   * Puts a file copied from elsewhere before jSync starts: {@code content} with its executable
   * bit and modification time as given (a copy that kept them). Skipped if it does not fit.
   */
  Optional<List<String>> seed(String path, byte[] content, boolean executable, FileTime modified, String label) {
    Path file = resolve(path);
    if (look(file) != null || !parentsCreatable(path)) {
      return Optional.empty();
    }
    try {
      List<String> touched = createParents(path, label);
      Files.write(file, content);
      if (executable) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
          Set<PosixFilePermission> perms = EnumSet.copyOf(view.readAttributes().permissions());
          perms.add(PosixFilePermission.OWNER_EXECUTE);
          view.setPermissions(perms);
        }
      }
      Files.setLastModifiedTime(file, modified);
      history.made(node, path, look(file), label);
      touched.add(path);
      return Optional.of(touched);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed half-way", e);
    }
  }

  Optional<List<String>> delete(String path, String label) {
    path = stored(path);
    Path file = resolve(path);
    Seen before = look(file);
    if (!(before instanceof SeenFile)) {
      return Optional.empty();
    }
    try {
      Files.delete(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    history.emptied(path, before);
    history.discarded(node, before);
    return Optional.of(new ArrayList<>(List.of(path)));
  }

  Optional<List<String>> rename(String from, String to, String label) {
    from = stored(from);
    to = stored(to);
    if (from.equals(to) || to.startsWith(from + "/")) {
      return Optional.empty();
    }
    Path source = resolve(from);
    Path target = resolve(to);
    Seen moved = look(source);
    Seen replaced = look(target);
    if (!(moved instanceof SeenFile) || replaced instanceof SeenFolder || !parentsCreatable(to)) {
      return Optional.empty();
    }
    try {
      List<String> touched = createParents(to, label);
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      history.emptied(from, moved);
      if (!moved.equals(replaced)) { // onto identical content: a touch of the target
        if (replaced != null) {
          history.removed(to, replaced);
          history.discarded(node, replaced);
        }
        history.made(node, to, moved, label);
      }
      touched.add(from);
      touched.add(to);
      return Optional.of(touched);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed half-way", e);
    }
  }

  Optional<List<String>> mkdir(String path, String label) {
    path = stored(path);
    if (look(resolve(path)) != null || !parentsCreatable(path)) {
      return Optional.empty();
    }
    try {
      List<String> touched = createParents(path, label);
      Files.createDirectory(resolve(path));
      history.made(node, path, new SeenFolder(), label);
      touched.add(path);
      return Optional.of(touched);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed half-way", e);
    }
  }

  Optional<List<String>> rmdir(String path, String label) {
    path = stored(path);
    Path dir = resolve(path);
    if (!(look(dir) instanceof SeenFolder)) {
      return Optional.empty();
    }
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed", e);
    }
    history.removed(path, new SeenFolder());
    return Optional.of(new ArrayList<>(List.of(path)));
  }

  Optional<List<String>> chmod(String path, boolean executable, String label) {
    path = stored(path);
    Path file = resolve(path);
    Seen before = look(file);
    if (!(before instanceof SeenFile f) || f.executable() == executable) {
      return Optional.empty();
    }
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null) {
        return Optional.empty();
      }
      Set<PosixFilePermission> perms = EnumSet.copyOf(view.readAttributes().permissions());
      if (executable) {
        perms.add(PosixFilePermission.OWNER_EXECUTE);
      } else {
        perms.remove(PosixFilePermission.OWNER_EXECUTE);
      }
      view.setPermissions(perms);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + label + " failed", e);
    }
    history.removed(path, before);
    history.made(node, path, new SeenFile(f.content(), executable), label);
    return Optional.of(new ArrayList<>(List.of(path)));
  }

  /** What is at {@code file} now: a file (content, exec bit), a folder, or null. */
  Seen look(Path file) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (attrs.isDirectory()) {
      return new SeenFolder();
    }
    if (!attrs.isRegularFile()) {
      return null;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      Sha256 content = Sha256.of(bytes);
      history.text(content, bytes);
      return new SeenFile(content, ownerExecutable(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The owner's executable bit; false on a file system without POSIX permissions. */
  static boolean ownerExecutable(Path file) throws IOException {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) == null) {
      return false;
    }
    return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
  }

  /** True if every ancestor of {@code path} is a folder or absent. */
  private boolean parentsCreatable(String path) {
    for (RelativePath a : RelativePath.of(path).ancestors()) {
      Seen s = look(resolve(a.toString()));
      if (s != null && !(s instanceof SeenFolder)) {
        return false;
      }
    }
    return true;
  }

  /** Creates missing ancestors, top down, recording each as a folder version. */
  private List<String> createParents(String path, String label) throws IOException {
    List<String> created = new ArrayList<>();
    List<RelativePath> ancestors = new ArrayList<>(RelativePath.of(path).ancestors());
    ancestors.sort((x, y) -> Integer.compare(x.depth(), y.depth()));
    for (RelativePath a : ancestors) {
      Path dir = resolve(a.toString());
      if (look(dir) == null) {
        Files.createDirectory(dir);
        history.made(node, a.toString(), new SeenFolder(), label);
        created.add(a.toString());
      }
    }
    return created;
  }

  private void stamp(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
  }

  Path resolve(String path) {
    return root.resolve(path);
  }
}
