package dev.jsync.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class of this test class path in a child JVM: the same java, the same class
 * path, flags for a fast start. The caller owns the process and must destroy it.
 */
final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; stderr goes to {@code stderr}, stdout is piped. */
  static Process start(Class<?> main, Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx64m",
        // Children are killed with SIGKILL: RocksDB's own loader would leave a 17 MB copy of its
        // library in the temp folder for every one of them.
        "-D" + RocksDbIndexStore.NATIVE_LIBRARY_DIR_PROPERTY + "="
            + Path.of("target", "native-library").toAbsolutePath(),
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }
}
