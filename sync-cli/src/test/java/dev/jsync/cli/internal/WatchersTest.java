package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jsync.core.FolderWatcher;
import dev.jsync.core.JdkFolderWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Which watcher a run gets ({@code --watcher}, the platform), and the fallback to the JDK's
 * watcher, with one warning, when FSEvents cannot start.
 */
class WatchersTest {

  private static final FolderWatcher.Listener QUIET = new FolderWatcher.Listener() {
    @Override
    public void changed(Path path) {
    }

    @Override
    public void overflow() {
    }
  };

  @TempDir Path root;

  /** A watcher that records its life, and fails to start when made to. */
  private static final class FakeWatcher implements FolderWatcher {
    final String name;
    final Throwable failure;
    boolean started;
    boolean closed;

    FakeWatcher(String name, Throwable failure) {
      this.name = name;
      this.failure = failure;
    }

    @Override
    public void start(Path root, Listener listener) throws IOException {
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      started = true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** The warnings {@link FallbackFolderWatcher} logs while {@code action} runs. */
  private static List<String> warningsWhile(ThrowingRunnable action) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(FallbackFolderWatcher.class);
    ListAppender<ILoggingEvent> capture = new ListAppender<>();
    capture.start();
    logger.addAppender(capture);
    try {
      action.run();
    } finally {
      logger.detachAppender(capture);
    }
    return capture.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void theOptionIsAutoByDefaultOrJdkAndNothingElse() {
    assertThat(Watchers.parse(null)).isEqualTo(Watchers.Choice.AUTO);
    assertThat(Watchers.parse("auto")).isEqualTo(Watchers.Choice.AUTO);
    assertThat(Watchers.parse(" JDK ")).isEqualTo(Watchers.Choice.JDK);
    assertThatThrownBy(() -> Watchers.parse("fsevents")).isInstanceOfSatisfying(BadInvocation.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(e.getMessage()).startsWith("--watcher fsevents is not one of auto, jdk");
    });
  }

  @Test
  void theCommandTakesTheOptionAndRefusesAnUnknownWatcherBeforeStarting() throws Exception {
    InProcessCli cli = new InProcessCli();
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out()).contains("--watcher=WATCHER");
    Path folder = Files.createDirectories(root.resolve("folder"));
    assertThat(cli.run("-d", folder.toString(), "-p", "a long enough secret", "--watcher", "fsevents"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --watcher fsevents is not one of auto, jdk");
    assertThat(folder).isEmptyDirectory();
  }

  @Test
  void macOsGetsFsEventsEverywhereElseAndOnRequestTheJdkWatcher() throws Exception {
    for (String mac : List.of("Mac OS X", "macOS")) {
      FakeWatcher fsEvents = new FakeWatcher("fsevents", null);
      FakeWatcher jdk = new FakeWatcher("jdk", null);
      FolderWatcher chosen = Watchers.select(Watchers.Choice.AUTO, mac, () -> fsEvents, () -> jdk);
      chosen.start(root, QUIET);
      assertThat(fsEvents.started).as(mac).isTrue();
      assertThat(jdk.started).as(mac).isFalse();
      chosen.close();
      assertThat(fsEvents.closed).as(mac).isTrue();

      FakeWatcher forced = new FakeWatcher("jdk", null);
      assertThat(Watchers.select(Watchers.Choice.JDK, mac, () -> fsEvents, () -> forced)).as(mac).isSameAs(forced);
    }
    for (String other : List.of("Linux", "Windows 11", "FreeBSD", "")) {
      FakeWatcher jdk = new FakeWatcher("jdk", null);
      Supplier<FolderWatcher> never = () -> {
        throw new AssertionError("FSEvents made on " + other);
      };
      assertThat(Watchers.select(Watchers.Choice.AUTO, other, never, () -> jdk)).as(other).isSameAs(jdk);
    }
    assertThat(Watchers.forPlatform(Watchers.Choice.AUTO, "Linux", Thread::new)).isInstanceOf(JdkFolderWatcher.class);
    assertThat(Watchers.forPlatform(Watchers.Choice.JDK, "Mac OS X", Thread::new)).isInstanceOf(JdkFolderWatcher.class);
  }

  @Test
  void whenFsEventsCannotStartTheJdkWatcherRunsWithOneWarning() throws Exception {
    // A failed start, a native library that does not load, and a jar without directory-watcher
    // (the Linux and Windows jars carry none): each falls back.
    List<Throwable> failures = List.of(new IOException("FSEventStreamCreate failed"),
        new UnsatisfiedLinkError("Native library (com/sun/jna/darwin-aarch64/libjnidispatch.jnilib) not found"),
        new NoClassDefFoundError("io/methvin/watcher/DirectoryWatcher"));
    for (Throwable failure : failures) {
      FakeWatcher fsEvents = new FakeWatcher("fsevents", failure);
      FakeWatcher jdk = new FakeWatcher("jdk", null);
      FallbackFolderWatcher chosen = (FallbackFolderWatcher) Watchers.select(Watchers.Choice.AUTO, "Mac OS X",
          () -> fsEvents, () -> jdk);
      List<String> warnings = warningsWhile(() -> chosen.start(root, QUIET));
      assertThat(jdk.started).as("%s", failure).isTrue();
      assertThat(chosen.active()).isSameAs(jdk);
      assertThat(fsEvents.closed).as("the failed watcher is closed").isTrue();
      assertThat(warnings).singleElement().asString().startsWith("the FSEvents watcher cannot start (" + failure + ")")
          .endsWith(Watchers.JDK_ON_MACOS);
      chosen.close();
      assertThat(jdk.closed).isTrue();
    }

    // A watcher that cannot even be made (its class fails to load) falls back the same way.
    FakeWatcher jdk = new FakeWatcher("jdk", null);
    FolderWatcher unmade = Watchers.select(Watchers.Choice.AUTO, "Mac OS X", () -> {
      throw new NoClassDefFoundError("com/sun/jna/Native");
    }, () -> jdk);
    assertThat(warningsWhile(() -> unmade.start(root, QUIET))).hasSize(1);
    assertThat(jdk.started).isTrue();

    // The fallback's own failure is the node's.
    FolderWatcher both = Watchers.select(Watchers.Choice.AUTO, "Mac OS X",
        () -> new FakeWatcher("fsevents", new IOException("no FSEvents")),
        () -> new FakeWatcher("jdk", new IOException("no watch service")));
    assertThatThrownBy(() -> both.start(root, QUIET)).hasMessage("no watch service");
  }

  @Test
  void theRealFsEventsWatcherFallsBackOffAMacAndTheJdkWatcherThenWatches() throws Exception {
    // Selected as on a Mac, on this Linux machine: JNA finds no Carbon library, so FSEvents
    // cannot start, and the JDK's watcher (inotify here) takes over.
    FallbackFolderWatcher chosen = (FallbackFolderWatcher) Watchers.forPlatform(Watchers.Choice.AUTO, "Mac OS X",
        Thread::new);
    List<Path> changed = new CopyOnWriteArrayList<>();
    FolderWatcher.Listener listener = new FolderWatcher.Listener() {
      @Override
      public void changed(Path path) {
        changed.add(path);
      }

      @Override
      public void overflow() {
      }
    };
    try {
      List<String> warnings = warningsWhile(() -> chosen.start(root, listener));
      assertThat(warnings).singleElement().asString().startsWith("the FSEvents watcher cannot start (")
          .contains("Carbon");
      assertThat(chosen.active()).isInstanceOf(JdkFolderWatcher.class);
      Files.writeString(root.resolve("note.md"), "saved");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!changed.contains(root.resolve("note.md")) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(changed).contains(root.resolve("note.md"));
    } finally {
      chosen.close();
    }
  }
}
