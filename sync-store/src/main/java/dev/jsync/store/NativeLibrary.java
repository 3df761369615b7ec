package dev.jsync.store;

import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library, once per JVM.
 *
 * <p>RocksDB's own loader copies the library (~17 MB) out of its jar into a new temp file at every
 * start and deletes it at a normal exit: a process that is killed (SIGKILL, a power cut, the OOM
 * killer) leaves its copy behind, in {@code /tmp} and so often in memory. When the system property
 * {@value #DIR_PROPERTY} names a folder (the CLI sets it to the user's cache folder), the library
 * is copied there once instead, under a name that identifies its content (the size and CRC-32 the
 * jar records for it), and loaded from there at every later start, after checking that its SHA-256
 * is that of the library in the jar and that no other user can write the folder ({@link #extract}).
 * That check reads and hashes both the jar's library and the copy (~0.2 s of CPU and 34 MB read,
 * while the JVM is cold), so once a copy has passed it, a stamp beside it records the copy's
 * inode, size, modification and change times and the jar's: later starts that find all of them
 * as recorded skip the hashing (see {@link #extract}). Without the property, or if the folder cannot be used, RocksDB's loader does as it always does.
 */
final class NativeLibrary {

  /** The system property naming the folder to keep the extracted library in. */
  static final String DIR_PROPERTY = RocksDbIndexStore.NATIVE_LIBRARY_DIR_PROPERTY;

  private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);
  private static boolean loaded;

  private NativeLibrary() {
  }

  /** Loads the library if this JVM has not yet; thread-safe. */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      try {
        Path library = extract(Path.of(dir));
        if (library != null) {
          RocksDB.loadLibrary(List.of(library.getParent().toString()));
          loaded = true;
          log.debug("RocksDB library loaded from {}", library);
          return;
        }
      } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
        log.warn("cannot keep RocksDB's library in {} ({}); extracting it to a temporary file instead", dir,
            e.getMessage());
      }
    }
    RocksDB.loadLibrary();
    loaded = true;
  }

  /**
   * Copies the platform's library out of the class path into {@code dir}, unless a copy with
   * the same content is there already; returns where it is, or null if the class path has no
   * library for this platform or does not say what its content is.
   *
   * <p>A copy is trusted only if its SHA-256 equals that of the library in the jar (hashed at
   * every start: ~17 MB inflated and hashed, and the copy hashed, 0.1-0.3 s of CPU while the JIT
   * is cold), and only in folders that no other user can write to: a cache another user could
   * replace would let them run their code in every jsync started afterwards. A copy that differs
   * (damaged, or tampered with) is replaced before anything loads.
   *
   * <p>The hashing is skipped when the stamp beside the copy ({@code <copy's folder>.checked} in
   * {@code dir}, written after a check passed) matches the copy's inode, size, modification and
   * change times and the jar's path, size and modification time: replacing the copy changes its
   * inode, writing to it its times, and the change time cannot be set back without root; a new
   * jar changes the jar's figures. Like the folder, the stamp can only be written by this user. A
   * stamp is written only for a copy whose change time is more than {@link #RACY_MILLIS} in the
   * past: a file changed within the file system's timestamp granularity of the check could
   * otherwise keep the times the stamp recorded (git's "racy" entries, handled the same way).
   *
   * @throws IOException if {@code dir} or its sub-folder is not the user's own and private, or
   *     the copy cannot be written; the caller then lets RocksDB's loader extract it as usual
   */
  static Path extract(Path dir) throws IOException {
    return extract(dir, System.currentTimeMillis());
  }

  /** How old a copy's change time must be for its check to be stamped. */
  static final long RACY_MILLIS = 2_000;

  /** How many times a library's content was hashed in this JVM (for tests). */
  static int hashes;

  /** As {@link #extract(Path)}, with the current time given (milliseconds since the epoch). */
  static Path extract(Path dir, long nowMillis) throws IOException {
    URL resource = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
    if (resource == null) {
      return null; // e.g. musl, or a platform this jar has no library for: RocksDB's loader knows the fallbacks
    }
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return null; // not from a jar (a development class path): nothing identifies the content cheaply
    }
    ZipEntry entry = jar.getJarEntry();
    if (entry.getSize() < 0 || entry.getCrc() < 0) {
      return null;
    }
    PrivateFiles.createFolders(dir);
    checkPrivate(dir);
    Path home = dir.resolve("rocksdbjni-" + entry.getSize() + "-" + Long.toHexString(entry.getCrc()));
    PrivateFiles.createFolders(home);
    checkPrivate(home);
    // The name RocksDB.loadLibrary(paths) looks for in each folder, which (in 11.x) is not the
    // jar's resource name: it asks Environment for "rocksdbjni", not "rocksdb".
    String name = Environment.getJniLibraryFileName("rocksdbjni");
    Path library = home.resolve(name);
    Path stampFile = dir.resolve(home.getFileName() + ".checked");
    String jarStamp = jarStamp(jar);
    if (jarStamp != null && Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(stampFile,
        LinkOption.NOFOLLOW_LINKS)) {
      String now = stamp(library, jarStamp);
      if (now != null && now.equals(Files.readString(stampFile))) {
        checkPrivate(library);
        return library;
      }
    }
    byte[] expected;
    try (InputStream in = connection.getInputStream()) {
      expected = sha256(in, null);
    }
    if (Files.exists(library, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) && sameContent(library, expected)) {
        checkPrivate(library);
        writeStamp(library, jarStamp, stampFile, nowMillis);
        return library;
      }
      log.warn("the cached RocksDB library {} is not the one in jsync's jar (damaged or altered): replacing it",
          library);
    }
    Path partial = Files.createTempFile(home, ".extract-", ".tmp", PrivateFiles.file(home));
    try {
      byte[] written;
      try (InputStream in = resource.openConnection().getInputStream();
           OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE,
               StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
        written = sha256(in, out);
      }
      if (!MessageDigest.isEqual(written, expected) || !sameContent(partial, expected)) {
        throw new IOException("the copy of " + name + " does not match the jar's");
      }
      try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        ch.force(true); // a crash right after the rename must not leave a short library behind
      }
      try {
        // rename(2) replaces a damaged or altered copy in one step, and replaces a link, never its target.
        Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // Another process got there first (or the file system cannot rename over a file): use theirs if it is right.
        if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) || !sameContent(library, expected)) {
          throw e;
        }
      }
      log.debug("RocksDB's native library copied to {} (once per version)", library);
      writeStamp(library, jarStamp, stampFile, nowMillis);
      return library;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Refuses a folder or file another user could have written: not owned by this process's user,
   * or writable by the group or others. Off POSIX (Windows) the user's profile folders are private
   * by their ACLs and nothing is checked.
   */
  static void checkPrivate(Path path) throws IOException {
    if (!PrivateFiles.posix(path)) {
      return;
    }
    PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isSymbolicLink()) {
      throw new IOException(path + " is a symbolic link: the library cache must be a real folder of this user");
    }
    Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    long me = currentUid();
    if (!(uid instanceof Integer owner) || me < 0 || owner.longValue() != me) {
      throw new IOException(path + " belongs to another user (uid " + uid + "): the library cache must be this"
          + " user's own");
    }
    Set<PosixFilePermission> p = attrs.permissions();
    if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(path + " can be written by other users (" + PosixFilePermissions.toString(p)
          + "): the library cache must not be (chmod go-w)");
    }
  }

  /** This process's user id, or -1 if the JDK cannot say (a runtime without jdk.security.auth). */
  private static long currentUid() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid();
    } catch (LinkageError e) {
      return -1;
    }
  }

  /** The jar's path, size and modification time, or null if it is not a local file. */
  private static String jarStamp(JarURLConnection jar) {
    try {
      Path file = Path.of(jar.getJarFileURL().toURI());
      var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return file + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * What is recorded of a checked copy: its inode, size, modification and change times (to the
   * nanosecond where the file system keeps them), and the jar's stamp; null where the file system
   * has no POSIX attributes (then every start hashes, as before).
   */
  private static String stamp(Path library, String jarStamp) {
    try {
      java.util.Map<String, Object> a = Files.readAttributes(library, "unix:ino,size,lastModifiedTime,ctime",
          LinkOption.NOFOLLOW_LINKS);
      return "ino " + a.get("ino") + " size " + a.get("size") + " mtime " + a.get("lastModifiedTime") + " ctime "
          + a.get("ctime") + " jar " + jarStamp + "\n";
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Records that {@code library} passed the check, unless it changed too recently to trust its times. */
  private static void writeStamp(Path library, String jarStamp, Path stampFile, long nowMillis) {
    if (jarStamp == null) {
      return;
    }
    try {
      Object ctime = Files.getAttribute(library, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
      String stamp = stamp(library, jarStamp);
      if (stamp == null || !(ctime instanceof java.nio.file.attribute.FileTime t)
          || nowMillis - t.toMillis() <= RACY_MILLIS) {
        return; // no stamp: the next start hashes, and stamps then
      }
      Path partial = Files.createTempFile(stampFile.getParent(), ".checked-", ".tmp", PrivateFiles.file(stampFile));
      try {
        Files.writeString(partial, stamp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        Files.move(partial, stampFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      log.debug("cannot record the check of {}: {} (the next start checks it again)", library, e.toString());
    }
  }

  private static boolean sameContent(Path file, byte[] expected) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return MessageDigest.isEqual(sha256(in, null), expected);
    }
  }

  /** The SHA-256 of everything {@code in} holds, copying it to {@code out} if that is not null. */
  private static byte[] sha256(InputStream in, OutputStream out) throws IOException {
    hashes++;
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
      if (out != null) {
        out.write(buffer, 0, n);
      }
    }
    return digest.digest();
  }
}
