package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.FolderWatcher;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeEvent.EventType;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS watcher's adapter, driven here by directory-watcher over the JDK's Linux watch service
 * (this machine has no FSEvents): what it reports of saves, new folders and deletes, that ignored
 * trees are neither listed nor watched, that an overflow becomes a full scan, and that a service
 * that cannot start (FSEvents here, where there is no Carbon library) fails {@code start()}.
 */
class FsEventsFolderWatcherTest {

  @TempDir Path root;
  private FsEventsFolderWatcher watcher;
  private final List<Path> changed = new CopyOnWriteArrayList<>();
  private final List<Path> skipAsked = new CopyOnWriteArrayList<>();
  private final AtomicInteger overflows = new AtomicInteger();

  @AfterEach
  void close() {
    if (watcher != null) {
      watcher.close();
    }
  }

  /**
   * As the engine's: skips {@code .git} and {@code node_modules}, with everything below them; not
   * the state folder, which the engine's does not name either (the watcher leaves it out itself).
   */
  private FolderWatcher.Listener listener() {
    return new FolderWatcher.Listener() {
      @Override
      public void changed(Path path) {
        changed.add(path);
      }

      @Override
      public void overflow() {
        overflows.incrementAndGet();
      }

      @Override
      public boolean skip(Path dir) {
        skipAsked.add(dir);
        for (Path p = dir; p != null && !p.equals(root); p = p.getParent()) {
          String name = p.getFileName().toString();
          if (name.equals(".git") || name.equals("node_modules")) {
            return true;
          }
        }
        return false;
      }
    };
  }

  /** The adapter over directory-watcher's default (JDK) service, as on Linux. */
  private FsEventsFolderWatcher startOnJdkService() throws IOException {
    watcher = new FsEventsFolderWatcher(Thread::new, visitor -> FileSystems.getDefault().newWatchService());
    watcher.start(root, listener());
    return watcher;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  @Test
  void aSaveAFileInANewFolderAndADeleteAreReported() throws Exception {
    Files.writeString(root.resolve("old.md"), "old");
    startOnJdkService();

    Files.writeString(root.resolve("note.md"), "saved");
    await("the save", () -> changed.contains(root.resolve("note.md")));

    // A folder made with a file already in it: the new folder is watched and listed at once.
    Path deep = Files.createDirectories(root.resolve("projects/2026"));
    Files.writeString(deep.resolve("plan.md"), "plan");
    await("the file in the new folder", () -> changed.contains(deep.resolve("plan.md")));
    Files.writeString(deep.resolve("later.md"), "later");
    await("a later file in the new folder", () -> changed.contains(deep.resolve("later.md")));

    Files.delete(root.resolve("old.md"));
    await("the delete", () -> changed.contains(root.resolve("old.md")));
    assertThat(changed).allMatch(p -> p.startsWith(root));
    assertThat(overflows).hasValue(0);
  }

  @Test
  void ignoredTreesAreNeitherListedNorWatched() throws Exception {
    Files.createDirectories(root.resolve("notes/daily"));
    Files.createDirectories(root.resolve(".git/objects/ab"));
    Files.createDirectories(root.resolve("app/node_modules/left-pad/lib"));
    Files.createDirectories(root.resolve(".jsync/index"));
    Files.writeString(root.resolve(".git/objects/ab/cdef"), "blob");

    List<Path> dirs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    new FsEventsFolderWatcher.UnskippedTrees(root, listener()).recursiveVisitFiles(root, dirs::add, files::add);
    assertThat(dirs).containsExactlyInAnyOrder(root, root.resolve("notes"), root.resolve("notes/daily"),
        root.resolve("app"));
    assertThat(files).isEmpty();

    startOnJdkService();
    skipAsked.clear();
    // Written into ignored trees first, then a marker: had those folders been registered, their
    // events would arrive first and be looked up with skip() before being dropped.
    Files.writeString(root.resolve(".git/objects/ab/0123"), "blob");
    Files.writeString(root.resolve("app/node_modules/left-pad/lib/index.js"), "js");
    Files.writeString(root.resolve(".jsync/index/LOG"), "log");
    Files.writeString(root.resolve("notes/daily/marker.md"), "marker");
    await("the marker", () -> changed.contains(root.resolve("notes/daily/marker.md")));
    assertThat(changed).as("nothing from inside an ignored tree").allMatch(p -> !p.toString().contains(".git/")
        && !p.toString().contains("node_modules/") && !p.toString().contains(".jsync/"));
    assertThat(skipAsked).as("no event came from an ignored folder").noneMatch(p -> p.startsWith(root.resolve(".git"))
        || p.startsWith(root.resolve("app/node_modules")) || p.startsWith(root.resolve(".jsync")));

    // A folder made later inside an ignored tree is not watched either.
    Files.createDirectories(root.resolve(".git/refs/heads"));
    Files.writeString(root.resolve(".git/refs/heads/main"), "abc");
    Files.writeString(root.resolve("notes/marker2.md"), "marker");
    await("the second marker", () -> changed.contains(root.resolve("notes/marker2.md")));
    assertThat(changed).noneMatch(p -> p.startsWith(root.resolve(".git/refs")));
  }

  @Test
  void eventsAreTranslatedOverflowsBecomeFullScansAndIgnoredPathsAreDropped() throws Exception {
    startOnJdkService();
    changed.clear();
    watcher.report(new DirectoryChangeEvent(EventType.OVERFLOW, false, null, null, 3, root));
    assertThat(overflows).hasValue(1);

    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, false, root.resolve("a.md"), null, 1, root));
    watcher.report(new DirectoryChangeEvent(EventType.DELETE, true, root.resolve("old"), null, 1, root));
    watcher.report(new DirectoryChangeEvent(EventType.CREATE, true, root.resolve("node_modules"), null, 1, root));
    // FSEvents names a whole tree when it coalesced its events: the listing reports every path.
    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, true, root, null, 1, root));
    // Inside ignored trees, and outside the folder: dropped.
    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, false, root.resolve(".git/index"), null, 1, root));
    watcher.report(new DirectoryChangeEvent(EventType.CREATE, false, root.resolve("x/node_modules/p/i.js"), null, 1,
        root));
    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, false, root.resolve(".jsync/index/LOG"), null, 1, root));
    watcher.report(new DirectoryChangeEvent(EventType.CREATE, false, root.resolve(".JSync/LOCK"), null, 1, root));
    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, false, root.getParent().resolve("elsewhere.md"), null, 1,
        root));
    watcher.report(new DirectoryChangeEvent(EventType.MODIFY, false, null, null, 1, root));

    // A folder that is itself ignored is reported (its parent is watched); the engine's scan ignores it.
    assertThat(changed).containsExactly(root.resolve("a.md"), root.resolve("old"), root.resolve("node_modules"), root);
    assertThat(overflows).hasValue(1);
  }

  @Test
  void aServiceThatCannotStartFailsStart() throws Exception {
    watcher = new FsEventsFolderWatcher(Thread::new, visitor -> {
      throw new IOException("no watch service");
    });
    assertThatThrownBy(() -> watcher.start(root, listener())).isInstanceOf(IOException.class)
        .hasMessage("no watch service");

    // The real FSEvents service, on a machine without macOS's Carbon library: JNA cannot load it.
    FsEventsFolderWatcher mac = FsEventsFolderWatcher.onMacOs(Thread::new);
    assertThatThrownBy(() -> mac.start(root, listener())).isInstanceOf(LinkageError.class)
        .satisfies(e -> assertThat(FallbackFolderWatcher.reason(e)).contains("Carbon"));
    mac.close();
  }
}
