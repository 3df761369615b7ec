package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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

  @Test
  void aTamperedCopyOfTheSameSizeIsReplacedBeforeAnythingLoadsIt() throws Exception {
    Path first = NativeLibrary.extract(dir);
    byte[] genuine = Files.readAllBytes(first);
    byte[] tampered = genuine.clone();
    tampered[tampered.length / 2] ^= 0x5a; // same size, same name: what a size check cannot see
    Files.write(first, tampered);

    Path again = NativeLibrary.extract(dir);

    assertThat(again).isEqualTo(first);
    assertThat(Files.readAllBytes(again)).isEqualTo(genuine);
    try (var left = Files.list(first.getParent())) {
      assertThat(left).containsExactly(first);
    }
  }

  @Test
  void aCheckedCopyIsNotHashedAgainWhileUnchangedButAnInPlaceChangeIsStillCaught() throws Exception {
    long later = System.currentTimeMillis() + 60_000; // as if started a minute after the copy was made
    Path first = NativeLibrary.extract(dir, later);
    byte[] genuine = Files.readAllBytes(first);
    assertThat(dir.resolve(first.getParent().getFileName() + ".checked")).isRegularFile();
    int hashed = NativeLibrary.hashes;

    assertThat(NativeLibrary.extract(dir, later)).isEqualTo(first);
    assertThat(NativeLibrary.hashes).as("the stamp matched: nothing hashed").isEqualTo(hashed);

    // Someone with the user's rights flips a byte in place (same size, same inode) and sets the
    // modification time back: the change time, which only root can set, still gives it away.
    FileTime modified = Files.getLastModifiedTime(first);
    byte[] tampered = genuine.clone();
    tampered[tampered.length / 3] ^= 0x5a;
    Files.write(first, tampered);
    Files.setLastModifiedTime(first, modified);

    Path again = NativeLibrary.extract(dir, later);

    assertThat(NativeLibrary.hashes).isGreaterThan(hashed);
    assertThat(Files.readAllBytes(again)).isEqualTo(genuine);
  }

  @Test
  void aCopyChangedWithinTheTimestampGranularityIsNotStamped() throws Exception {
    Path first = NativeLibrary.extract(dir, System.currentTimeMillis()); // its change time: just now
    assertThat(dir.resolve(first.getParent().getFileName() + ".checked")).doesNotExist();
    int hashed = NativeLibrary.hashes;
    NativeLibrary.extract(dir, System.currentTimeMillis());
    assertThat(NativeLibrary.hashes).as("checked by hashing again").isGreaterThan(hashed);
  }

  @Test
  void aLinkAtTheLibrarysNameIsReplacedNotFollowed() throws Exception {
    Path first = NativeLibrary.extract(dir);
    byte[] genuine = Files.readAllBytes(first);
    Path elsewhere = Files.write(dir.resolve("elsewhere.so"), "not a library".getBytes());
    Files.delete(first);
    Files.createSymbolicLink(first, elsewhere);

    Path again = NativeLibrary.extract(dir);

    assertThat(Files.isRegularFile(again, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.isSymbolicLink(again)).isFalse();
    assertThat(Files.readAllBytes(again)).isEqualTo(genuine);
    assertThat(Files.readString(elsewhere)).isEqualTo("not a library");
  }

  @Test
  void aCacheFolderOtherUsersCanWriteIsRefused() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("shared-cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> NativeLibrary.extract(cache)).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("can be written by other users");
    try (var inside = Files.list(cache)) {
      assertThat(inside).isEmpty(); // nothing extracted into it, nothing to load from it
    }

    Path mine = NativeLibrary.extract(dir.resolve("mine"));
    Path sub = mine.getParent();
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxr-x"));
    assertThatThrownBy(() -> NativeLibrary.extract(dir.resolve("mine"))).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("can be written by other users");
  }

  @Test
  void aCacheFolderOfAnotherUserIsRefused() throws Exception {
    Path foreign;
    if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
      foreign = Files.createDirectories(dir.resolve("someone-elses"));
      Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
      Files.setAttribute(foreign, "unix:uid", 65534); // nobody
    } else {
      foreign = Path.of("/"); // root's, and not writable here: nothing can be extracted into it anyway
    }
    assertThatThrownBy(() -> NativeLibrary.extract(foreign)).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("belongs to another user");
    if (!foreign.equals(Path.of("/"))) {
      try (var inside = Files.list(foreign)) {
        assertThat(inside).isEmpty();
      }
    }
  }

  @Test
  void theCacheIsCreatedOwnerOnly() throws Exception {
    Path library = NativeLibrary.extract(dir.resolve("new-cache"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new-cache"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library))).isEqualTo("rw-------");
  }
}
