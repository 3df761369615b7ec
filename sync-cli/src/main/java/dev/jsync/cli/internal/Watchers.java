package dev.jsync.cli.internal;

import dev.jsync.core.FolderWatcher;
import dev.jsync.core.JdkFolderWatcher;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Which watcher a run uses, the {@code --watcher} option (docs/cli.md): on macOS, FSEvents
 * ({@link FsEventsFolderWatcher}), falling back to the JDK's watcher with a warning when it
 * cannot start; everywhere else, and whenever {@code --watcher jdk} is given, the JDK's
 * ({@link JdkFolderWatcher}: inotify on Linux, {@code ReadDirectoryChangesW} on Windows, a
 * poller on macOS).
 */
final class Watchers {

  /** The {@code --watcher} values. */
  enum Choice {
    /** FSEvents on macOS, the JDK's watcher elsewhere (the default). */
    AUTO,
    /** The JDK's watcher on every platform. */
    JDK
  }

  /** What the warning says when FSEvents cannot start and the JDK's watcher runs instead. */
  static final String JDK_ON_MACOS = "watching with the JDK's watcher instead, which polls on macOS, so a save"
      + " is seen up to about two seconds after it is made (--watcher jdk chooses it without this warning)";

  private Watchers() {}

  /**
   * The choice {@code given} names; {@link Choice#AUTO} if none was given.
   *
   * @throws BadInvocation if it is not one of auto, jdk
   */
  static Choice parse(String given) {
    if (given == null) {
      return Choice.AUTO;
    }
    return switch (given.strip().toLowerCase(Locale.ROOT)) {
      case "auto" -> Choice.AUTO;
      case "jdk" -> Choice.JDK;
      default -> throw BadInvocation.usage("--watcher " + given + " is not one of auto, jdk (the default, auto,"
          + " uses FSEvents on macOS and the JDK's watch service elsewhere)");
    };
  }

  /** Whether {@code osName} (as {@code os.name} gives it) is macOS. */
  static boolean isMacOs(String osName) {
    return osName.toLowerCase(Locale.ROOT).startsWith("mac");
  }

  /** The watcher for {@code choice} on the platform {@code osName} names; its threads come from {@code threads}. */
  static FolderWatcher forPlatform(Choice choice, String osName, ThreadFactory threads) {
    return select(choice, osName, () -> FsEventsFolderWatcher.onMacOs(threads), () -> new JdkFolderWatcher(threads));
  }

  /** As {@link #forPlatform}, with the two watchers made by the suppliers (a test's may fail). */
  static FolderWatcher select(Choice choice, String osName, Supplier<FolderWatcher> fsEvents,
      Supplier<FolderWatcher> jdk) {
    if (choice == Choice.JDK || !isMacOs(osName)) {
      return jdk.get();
    }
    return new FallbackFolderWatcher("the FSEvents watcher", fsEvents, jdk, JDK_ON_MACOS);
  }
}
