package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK watcher on a real folder: ignored trees are never registered, and running out of
 * inotify watches is reported once and costs a scan of the folders it hit, not a full scan.
 */
class JdkFolderWatcherTest {

  @TempDir Path root;
  private JdkFolderWatcher watcher;
  private final List<Path> changed = new CopyOnWriteArrayList<>();
  private final AtomicInteger overflows = new AtomicInteger();

  @AfterEach
  void close() {
    if (watcher != null) {
      watcher.close();
    }
  }

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
        String name = dir.getFileName().toString();
        return name.equals(".git") || name.equals("node_modules");
      }
    };
  }

  @Test
  void onMacOsThePollingWatchServiceIsAskedForItsHighestSensitivityAndNowhereElse() throws Exception {
    JdkFolderWatcher.Registration mac = JdkFolderWatcher.registrationFor("Mac OS X");
    assertThat(mac.modifiers()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("HIGH");
      assertThat(m.getClass().getName()).isEqualTo("com.sun.nio.file.SensitivityWatchEventModifier");
      assertThat(m.getClass().getMethod("sensitivityValueInSeconds").invoke(m)).as("a poll every 2 s").isEqualTo(2);
    });
    // Linux (inotify) and Windows (ReadDirectoryChangesW) report at once: nothing to ask for.
    assertThat(JdkFolderWatcher.registrationFor("Linux").modifiers()).isEmpty();
    assertThat(JdkFolderWatcher.registrationFor("Windows 11").modifiers()).isEmpty();

    // A watch service that is not a poller ignores the modifier: the Mac's registration still
    // watches (here on Linux), so a wrong guess of the platform costs nothing.
    watcher = new JdkFolderWatcher(Thread::new, mac);
    watcher.start(root, listener());
    Files.writeString(root.resolve("note.md"), "saved");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!changed.contains(root.resolve("note.md")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(changed).contains(root.resolve("note.md"));
  }

  @Test
  void ignoredTreesAreNotWatched() throws IOException {
    Files.createDirectories(root.resolve("notes/daily"));
    Files.createDirectories(root.resolve(".git/objects/ab"));
    Files.createDirectories(root.resolve("app/node_modules/left-pad/lib"));
    Files.createDirectories(root.resolve(".jsync/index"));
    watcher = new JdkFolderWatcher(Thread::new);
    watcher.start(root, listener());

    assertThat(watcher.watched()).containsExactlyInAnyOrder(root, root.resolve("notes"), root.resolve("notes/daily"),
        root.resolve("app"));
  }

  @Test
  void runningOutOfWatchesIsReportedOnceAndScansOnlyTheFoldersItHit() throws IOException {
    Files.createDirectories(root.resolve("a"));
    Files.createDirectories(root.resolve("b"));
    Files.createDirectories(root.resolve("c"));
    AtomicInteger budget = new AtomicInteger(2); // the root and one more
    watcher = new JdkFolderWatcher(Thread::new, (dir, service) -> {
      if (budget.getAndDecrement() <= 0) {
        throw new IOException("User limit of inotify watches reached");
      }
      return dir.register(service, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
    });
    watcher.start(root, listener());

    assertThat(watcher.watched()).hasSize(2);
    assertThat(watcher.outOfWatchesReported()).isTrue();
    assertThat(overflows).as("no full scan").hasValue(0);
    assertThat(changed).as("each folder not watched is scanned, with its subtree").hasSize(2)
        .allMatch(p -> p.getParent().equals(root));
  }
}
