package dev.jsync.cli.internal;

import dev.jsync.core.FolderWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets end-to-end tests start the watcher a run on macOS would get, from a runnable jar on this
 * machine: {@code java -cp JAR:test-classes dev.jsync.cli.internal.WatcherProbe DIR} selects as on
 * a Mac, starts, saves a file in {@code DIR}, and prints which watcher runs and whether it saw the
 * save. Warnings go to standard error.
 */
public final class WatcherProbe {

  private WatcherProbe() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path note = dir.resolve("note.md");
    CountDownLatch seen = new CountDownLatch(1);
    FallbackFolderWatcher watcher = (FallbackFolderWatcher) Watchers.forPlatform(Watchers.Choice.AUTO, "Mac OS X",
        Thread::new);
    watcher.start(dir, new FolderWatcher.Listener() {
      @Override
      public void changed(Path path) {
        if (path.equals(note)) {
          seen.countDown();
        }
      }

      @Override
      public void overflow() {
      }
    });
    Files.writeString(note, "saved");
    boolean saw = seen.await(10, TimeUnit.SECONDS);
    System.out.println("active=" + watcher.active().getClass().getSimpleName());
    System.out.println("saw the save=" + saw);
    watcher.close();
  }
}
