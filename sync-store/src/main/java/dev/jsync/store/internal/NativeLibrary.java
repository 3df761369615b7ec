package dev.jsync.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
 * jar records for it), and loaded from there at every later start. Without the property, or if the
 * folder cannot be used, RocksDB's loader does as it always does.
 */
public final class NativeLibrary {

  /** The system property naming the folder to keep the extracted library in. */
  public static final String DIR_PROPERTY = dev.jsync.store.RocksDbIndexStore.NATIVE_LIBRARY_DIR_PROPERTY;

  private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);
  private static boolean loaded;

  private NativeLibrary() {
  }

  /** Loads the library if this JVM has not yet; thread-safe. */
  public static synchronized void load() {
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
        log.debug("cannot keep RocksDB's library in {} ({}); loading it the default way", dir, e.toString());
      }
    }
    RocksDB.loadLibrary();
    loaded = true;
  }

  /**
   * Copies the platform's library out of the class path into {@code dir}, unless a copy with
   * the same content is there already; returns where it is, or null if the class path has no
   * library for this platform or does not say what its content is.
   */
  static Path extract(Path dir) throws IOException {
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
    Path home = dir.resolve("rocksdbjni-" + entry.getSize() + "-" + Long.toHexString(entry.getCrc()));
    // The name RocksDB.loadLibrary(paths) looks for in each folder, which (in 11.x) is not the
    // jar's resource name: it asks Environment for "rocksdbjni", not "rocksdb".
    String name = Environment.getJniLibraryFileName("rocksdbjni");
    Path library = home.resolve(name);
    if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
      return library;
    }
    Files.createDirectories(home);
    Path partial = Files.createTempFile(home, ".extract-", ".tmp");
    try {
      try (InputStream in = connection.getInputStream()) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (Files.size(partial) != entry.getSize()) {
        throw new IOException("extracted " + Files.size(partial) + " bytes of " + name + ", expected " + entry.getSize());
      }
      try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        ch.force(true); // a crash right after the rename must not leave a short library behind
      }
      try {
        Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // Another process got there first (or the file system cannot rename over a file): use theirs.
        if (!Files.isRegularFile(library) || Files.size(library) != entry.getSize()) {
          throw e;
        }
      }
      log.info("RocksDB's native library copied to {} (once per version)", library);
      return library;
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
