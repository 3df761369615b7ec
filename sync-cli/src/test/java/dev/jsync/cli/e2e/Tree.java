package dev.jsync.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a synced folder holds, as a comparable map: path to "dir", "file sha256 [x]" or
 * "link -> target". jSync's state folder and temp files are left out: they are not synced.
 */
final class Tree {

  private Tree() {
  }

  static Map<String, String> of(Path root) {
    Map<String, String> out = new TreeMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(root)) {
            return FileVisitResult.CONTINUE;
          }
          if (dir.getParent().equals(root) && dir.getFileName().toString().equals(".jsync")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          out.put(rel(root, dir), "dir");
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (file.getFileName().toString().startsWith(".jsync-tmp-")) {
            return FileVisitResult.CONTINUE;
          }
          if (attrs.isSymbolicLink()) {
            out.put(rel(root, file), "link -> " + Files.readSymbolicLink(file));
          } else {
            boolean x = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                .contains(PosixFilePermission.OWNER_EXECUTE);
            out.put(rel(root, file), "file " + cachedSha256(file, attrs) + (x ? " x" : ""));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // replaced by a sync while we looked
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** jSync's temp files anywhere in the folder (outside its state folder). */
  static List<Path> temps(Path root) {
    // Not into the state folder: the node keeps writing there (merge bases are kept in the
    // background after a sync), and its own temp files come and go.
    Path state = root.resolve(".jsync");
    List<Path> temps = new java.util.ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return dir.equals(state) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.getFileName().toString().startsWith(".jsync-tmp-")) {
            temps.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
      return temps;
    } catch (UncheckedIOException | IOException e) {
      return List.of(root.resolve("(could not list: " + e + ")")); // a sync changed the tree meanwhile
    }
  }

  /** Hashes already computed, by path, size and modification time: tests poll big trees often. */
  private static final Map<String, String> HASHES = new java.util.concurrent.ConcurrentHashMap<>();

  private static String cachedSha256(Path file, BasicFileAttributes attrs) throws IOException {
    String key = file + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toInstant() + "|" + attrs.fileKey();
    String hash = HASHES.get(key);
    if (hash == null) {
      hash = sha256(file);
      HASHES.put(key, hash);
    }
    return hash;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }
}
