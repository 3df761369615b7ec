package dev.jsync.bench.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Reproducible test data: a vault of Markdown notes, large random files. */
public final class Datasets {

  private Datasets() {}

  /**
   * {@code files} notes of 200 B to 16 KiB (about 4 KiB on average: most notes are short) in
   * {@code folders} folders, as text so that it looks like a vault.
   */
  public static void vault(Path root, int files, int folders, long seed) throws IOException {
    Random r = new Random(seed);
    String words = "the quick brown fox jumps over a lazy dog while notes about meetings projects ideas and links pile up ";
    for (int i = 0; i < files; i++) {
      Path p = root.resolve("folder" + (i % folders)).resolve("note" + i + ".md");
      Files.createDirectories(p.getParent());
      // Sizes skewed towards small: 200 B + an exponential tail, capped at 16 KiB.
      int size = (int) Math.min(16 * 1024, 200 + (-Math.log(1 - r.nextDouble()) * 3800));
      StringBuilder b = new StringBuilder(size + 64).append("# Note ").append(i).append('\n');
      while (b.length() < size) {
        int at = r.nextInt(words.length() - 20);
        b.append(words, at, at + 20).append(r.nextInt(1000)).append(r.nextInt(8) == 0 ? '\n' : ' ');
      }
      Files.writeString(p, b.substring(0, size), StandardCharsets.UTF_8);
    }
  }

  /** A file of {@code size} random bytes. */
  static void randomFile(Path file, long size, long seed) throws IOException {
    Random r = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
  }
}
