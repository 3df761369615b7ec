package dev.jsync.bench.e2e;

import dev.jsync.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Folder comparisons for deciding that a sync finished. */
final class Trees {

  private Trees() {}

  /** Regular files below {@code root}, leaving out jSync's state and temp files. */
  static long countFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.toString().contains("/.jsync")).filter(Files::isRegularFile).count();
    } catch (IOException | UncheckedIOException e) {
      return -1; // a file vanished while walking: count again next time
    }
  }

  /** Relative path to SHA-256 of every regular file below {@code root}, leaving out jSync's files. */
  static Map<String, String> digest(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = root.relativize(p).toString();
        if (rel.startsWith(".jsync") || p.getFileName().toString().startsWith(".jsync-tmp-")
            || !Files.isRegularFile(p)) {
          continue;
        }
        out.put(rel, hash(p));
      }
    }
    return out;
  }

  static String hash(Path file) throws IOException {
    MessageDigest md = Sha256.newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return Sha256.finish(md).toString();
  }
}
