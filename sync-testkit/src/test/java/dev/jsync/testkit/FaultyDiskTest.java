package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.RelativePath;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.Disks;
import dev.jsync.core.disk.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault a {@link FaultyDisk} injects, as the exception a real disk gives, and what a crash loses ({@link CrashModel}). */
class FaultyDiskTest {

  private final InMemoryFolder folder = InMemoryFolder.create(Clock.systemUTC());
  private final Path root = folder.root();

  @AfterEach
  void close() {
    folder.close();
  }

  private FaultyDisk disk(DiskFaults faults) {
    return new FaultyDisk(Disks.system(), faults, new SplittableRandom(7));
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFullDiskRefusesNewFilesWritesAndFolders() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none().withFullDisk(1));
    assertThatThrownBy(() -> disk.createNew(root.resolve("a")))
        .isInstanceOf(FileSystemException.class).hasMessageContaining("No space left on device");
    assertThatThrownBy(() -> disk.createDirectory(root.resolve("d")))
        .isInstanceOf(FileSystemException.class).hasMessageContaining("No space left on device");
    assertThat(root.resolve("a")).doesNotExist();
    assertThat(root.resolve("d")).doesNotExist();

    disk.faults(DiskFaults.none());
    DiskFile f = disk.createNew(root.resolve("a"));
    disk.faults(DiskFaults.none().withFullDisk(1));
    assertThatThrownBy(() -> f.writeFully(bytes("x"), 0)).hasMessageContaining("No space left on device");
    assertThat(f.size()).isZero();
    f.close();
    assertThat(disk.faultsInjected()).isEqualTo(3);
  }

  @Test
  void anIoErrorFailsReadsWritesListingsAndFsync() throws IOException {
    Files.writeString(root.resolve("a"), "hello");
    FaultyDisk disk = disk(DiskFaults.none().withIoError(1));
    try (DiskFile f = disk.openForReading(root, RelativePath.of("a"))) {
      assertThatThrownBy(() -> f.readFully(ByteBuffer.allocate(5), 0))
          .isInstanceOf(FileSystemException.class).hasMessageContaining("Input/output error");
    }
    assertThatThrownBy(() -> disk.list(root)).hasMessageContaining("Input/output error");
    disk.faults(DiskFaults.none());
    DiskFile f = disk.openForWriting(root.resolve("a"));
    disk.faults(DiskFaults.none().withIoError(1));
    assertThatThrownBy(f::force).hasMessageContaining("Input/output error");
    f.close();
  }

  @Test
  void aFailedFolderSyncLeavesARenameToBeUndoneByACrash() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none().withFolderSyncError(1));
    try (DiskFile f = disk.createNew(root.resolve("tmp"))) {
      f.writeFully(bytes("data"), 0);
      f.force();
    }
    disk.move(root.resolve("tmp"), root.resolve("file"));
    assertThatThrownBy(() -> disk.syncDirectory(root))
        .isInstanceOf(FileSystemException.class).hasMessageContaining("Input/output error");
    disk.crash();
    assertThat(root.resolve("file")).doesNotExist();
    assertThat(Files.readString(root.resolve("tmp"))).isEqualTo("data");
  }

  @Test
  void aRefusedNameFailsWithAccessDenied() throws IOException {
    Files.writeString(root.resolve("a"), "hello");
    FaultyDisk disk = disk(DiskFaults.none().withAccessDenied(1));
    assertThatThrownBy(() -> disk.openForWriting(root.resolve("a"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> disk.move(root.resolve("a"), root.resolve("b"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> disk.delete(root.resolve("a"))).isInstanceOf(AccessDeniedException.class);
    assertThat(Files.readString(root.resolve("a"))).isEqualTo("hello");
    assertThat(root.resolve("b")).doesNotExist();
  }

  @Test
  void aSlowFsyncBlocksItsCaller() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none().withSlowSync(Duration.ofMillis(200)));
    try (DiskFile f = disk.createNew(root.resolve("a"))) {
      f.writeFully(bytes("x"), 0);
      long start = System.nanoTime();
      f.force();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void theSameSeedFailsTheSameOperations() throws IOException {
    DiskFaults half = DiskFaults.none().withFullDisk(0.5);
    List<Boolean> first = new ArrayList<>();
    List<Boolean> second = new ArrayList<>();
    for (List<Boolean> outcomes : List.of(first, second)) {
      FaultyDisk disk = new FaultyDisk(Disks.system(), half, new SplittableRandom(42));
      for (int i = 0; i < 40; i++) {
        Path dir = root.resolve("run" + outcomes.hashCode() + "-" + first.size() + "-" + i);
        try {
          disk.createDirectory(dir);
          outcomes.add(true);
        } catch (FileSystemException e) {
          outcomes.add(false);
        }
      }
    }
    assertThat(first).isEqualTo(second).contains(true, false);
  }

  @Test
  void aCrashLosesAFileThatWasNeverFlushed() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    DiskFile unsynced = disk.createNew(root.resolve("unsynced"));
    unsynced.writeFully(bytes("lost"), 0);
    try (DiskFile synced = disk.createNew(root.resolve("synced"))) {
      synced.writeFully(bytes("kept"), 0);
      synced.force();
    }
    disk.crash();
    assertThat(root.resolve("unsynced")).doesNotExist();
    assertThat(Files.readString(root.resolve("synced"))).isEqualTo("kept");
    assertThatThrownBy(() -> unsynced.writeFully(bytes("more"), 0)).hasMessageContaining("before a crash");
  }

  @Test
  void aCrashZeroesWritesSinceTheLastFlushAndCutsTheFileBack() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    try (DiskFile f = disk.createNew(root.resolve("a"))) {
      f.writeFully(bytes("abcdef"), 0);
      f.force();
      f.writeFully(bytes("XY"), 2);
      f.writeFully(bytes("tail"), 6);
    }
    assertThat(Files.readString(root.resolve("a"))).isEqualTo("abXYeftail");
    disk.crash();
    assertThat(Files.readAllBytes(root.resolve("a"))).containsExactly('a', 'b', 0, 0, 'e', 'f');
  }

  @Test
  void aCrashUndoesARenameToANewNameUntilItsFolderIsSynced() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    for (String name : List.of("one", "two")) {
      try (DiskFile f = disk.createNew(root.resolve("tmp-" + name))) {
        f.writeFully(bytes(name), 0);
        f.force();
      }
      disk.move(root.resolve("tmp-" + name), root.resolve(name));
      if (name.equals("one")) {
        disk.syncDirectory(root);
      }
    }
    disk.crash();
    assertThat(Files.readString(root.resolve("one"))).isEqualTo("one");
    assertThat(root.resolve("two")).doesNotExist();
    assertThat(Files.readString(root.resolve("tmp-two"))).isEqualTo("two");
  }

  @Test
  void aCrashLosesFoldersMadeAndNeverSynced() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    disk.createDirectory(root.resolve("made"));
    disk.createDirectories(root.resolve("deep/er"));
    disk.createDirectory(root.resolve("unflushed"));
    disk.createNew(root.resolve("unflushed/file")).close();
    disk.crash();
    assertThat(root.resolve("made")).doesNotExist();
    assertThat(root.resolve("deep")).doesNotExist();
    assertThat(root.resolve("unflushed")).doesNotExist();
  }

  @Test
  void aFolderSyncedItselfThroughItsParentOrBelowOutlastsACrash() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    disk.createDirectory(root.resolve("itself"));
    disk.syncDirectory(root.resolve("itself"));
    disk.createDirectory(root.resolve("parent"));
    disk.createDirectory(root.resolve("parent/child"));
    disk.syncDirectory(root.resolve("parent"));
    disk.createDirectories(root.resolve("below/inner"));
    disk.syncDirectory(root.resolve("below/inner"));
    disk.crash();
    assertThat(root.resolve("itself")).isDirectory();
    assertThat(root.resolve("parent/child")).as("its name is in a synced folder").isDirectory();
    assertThat(root.resolve("below/inner")).isDirectory();
  }

  @Test
  void aFolderSyncFailureLeavesTheFolderToBeLost() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    disk.createDirectory(root.resolve("made"));
    disk.faults(DiskFaults.none().withFolderSyncError(1));
    assertThatThrownBy(() -> disk.syncDirectory(root.resolve("made"))).hasMessageContaining("Input/output error");
    assertThatThrownBy(() -> disk.syncDirectory(root)).hasMessageContaining("Input/output error");
    disk.crash();
    assertThat(root.resolve("made")).doesNotExist();
  }

  @Test
  void aFolderHoldingAFlushedFileOrAUsersWriteOutlastsACrash() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    disk.createDirectories(root.resolve("x/y"));
    try (DiskFile f = disk.createNew(root.resolve("x/y/flushed"))) {
      f.writeFully(bytes("kept"), 0);
      f.force();
    }
    disk.createDirectory(root.resolve("users"));
    Files.writeString(root.resolve("users/note.md"), "a user's save, which goes around the disk");
    disk.crash();
    assertThat(Files.readString(root.resolve("x/y/flushed"))).isEqualTo("kept");
    assertThat(Files.readString(root.resolve("users/note.md"))).startsWith("a user's save");
  }

  @Test
  void aRenameIntoAFolderNeverSyncedIsUndoneAndTheFolderLost() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    try (DiskFile f = disk.createNew(root.resolve("tmp"))) {
      f.writeFully(bytes("data"), 0);
      f.force();
    }
    disk.createDirectory(root.resolve("new"));
    disk.move(root.resolve("tmp"), root.resolve("new/file"));
    disk.crash();
    assertThat(Files.readString(root.resolve("tmp"))).isEqualTo("data");
    assertThat(root.resolve("new")).doesNotExist();
  }

  @Test
  void aFolderMadeAndDeletedIsNotLookedForAtACrash() throws IOException {
    FaultyDisk disk = disk(DiskFaults.none());
    disk.createDirectory(root.resolve("gone"));
    disk.delete(root.resolve("gone"));
    Files.createDirectory(root.resolve("gone")); // made again by a user, around the disk
    disk.crash();
    assertThat(root.resolve("gone")).isDirectory();
  }
}
