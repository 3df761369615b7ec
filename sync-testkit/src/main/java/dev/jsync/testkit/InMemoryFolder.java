package dev.jsync.testkit;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Objects;

/**
 * A folder on its own in-memory file system (Jimfs), for one simulated device: Unix paths,
 * POSIX permissions (so the executable bit syncs), atomic renames, and modification times
 * taken from the device's {@link Clock}, so that a device whose clock is an hour fast writes
 * files stamped an hour ahead.
 *
 * <p>Close it to free the file system. Thread-safe as Jimfs is; no disk I/O.
 */
public final class InMemoryFolder implements AutoCloseable {

  private final FileSystem fileSystem;
  private final Path root;

  private InMemoryFolder(FileSystem fileSystem, Path root) {
    this.fileSystem = fileSystem;
    this.root = root;
  }

  /** A new, empty folder {@code /sync} on a fresh file system whose times come from {@code clock}. */
  public static InMemoryFolder create(Clock clock) {
    return create(clock, Platform.LINUX);
  }

  /**
   * A new, empty folder on a fresh file system that names files as {@code platform} does
   * ({@code /sync}, or {@code C:\sync} on Windows), whose times come from {@code clock}.
   */
  public static InMemoryFolder create(Clock clock, Platform platform) {
    Objects.requireNonNull(clock, "clock");
    Configuration config = platform.jimfs().toBuilder()
        .setFileTimeSource(() -> FileTime.from(clock.instant()))
        .build();
    FileSystem fs = Jimfs.newFileSystem(config);
    try {
      return new InMemoryFolder(fs, Files.createDirectories(fs.getPath(platform.folder())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder's path (absolute, on the in-memory file system). */
  public Path root() {
    return root;
  }

  @Override
  public void close() {
    try {
      fileSystem.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
