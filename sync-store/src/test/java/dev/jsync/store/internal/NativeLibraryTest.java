package dev.jsync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

class NativeLibraryTest {

  @TempDir
  Path dir;

  private static ZipEntry libraryEntry() throws Exception {
    String name = Environment.getJniLibraryFileName("rocksdb");
    var connection = (java.net.JarURLConnection) RocksDB.class.getClassLoader().getResource(name).openConnection();
    return connection.getJarEntry();
  }

  @Test
  void extractsOnceUnderANameThatIdentifiesTheContentAndReusesTheCopy() throws Exception {
    ZipEntry entry = libraryEntry();
    Path first = NativeLibrary.extract(dir);
    assertThat(first).isNotNull().startsWith(dir);
    assertThat(first.getFileName().toString()).isEqualTo(Environment.getJniLibraryFileName("rocksdbjni"));
    assertThat(first.getParent().getFileName().toString())
        .isEqualTo("rocksdbjni-" + entry.getSize() + "-" + Long.toHexString(entry.getCrc()));
    assertThat(Files.size(first)).isEqualTo(entry.getSize());
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(Files.readAllBytes(first));
    assertThat(crc.getValue()).isEqualTo(entry.getCrc());

    FileTime written = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(first, written);
    assertThat(NativeLibrary.extract(dir)).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(written); // not written again
    try (var left = Files.list(first.getParent())) {
      assertThat(left).containsExactly(first); // no partial files left behind
    }
  }

  @Test
  void rocksDbLoadsFromTheExtractedCopyInAFreshJvm() throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Files.createDirectories(dir.resolve("tmp"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + dir.resolve("tmp"),
        "-D" + NativeLibrary.DIR_PROPERTY + "=" + dir.resolve("cache"), LoadAndReport.class.getName())
        .redirectError(stderr.toFile()).start();
    String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertThat(child.waitFor()).as(Files.readString(stderr)).isZero();
    assertThat(out).startsWith("loaded ");
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp.filter(f -> f.getFileName().toString().startsWith("librocksdbjni"))).isEmpty();
    }
    try (var cached = Files.walk(dir.resolve("cache"))) {
      assertThat(cached.filter(Files::isRegularFile)).hasSize(1);
    }
  }

  /** Loads the library with the cache folder set and opens RocksDB's options, in a child JVM. */
  public static final class LoadAndReport {
    public static void main(String[] args) {
      NativeLibrary.load();
      try (var options = new org.rocksdb.Options()) {
        System.out.println("loaded " + RocksDB.rocksdbVersion());
      }
    }
  }

  @Test
  void aShortCopyIsReplaced() throws Exception {
    Path first = NativeLibrary.extract(dir);
    Files.write(first, new byte[] {1, 2, 3}); // say, a disk that filled up under another version
    Path again = NativeLibrary.extract(dir);
    assertThat(again).isEqualTo(first);
    assertThat(Files.size(again)).isEqualTo(libraryEntry().getSize());
  }
}
