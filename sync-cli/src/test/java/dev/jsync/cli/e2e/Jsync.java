package dev.jsync.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How tests start the real command: {@code java -jar jsync.jar}, the jar the package phase built. */
final class Jsync {

  private Jsync() {
  }

  static Path jar() {
    String configured = System.getProperty("jsync.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target", "jsync.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": run the tests with ./mvnw verify (it builds the jar first)");
    }
    return jar;
  }

  /** The command line to run jsync with {@code args}, with the launcher's JVM flags and Netty's leak detector on. */
  static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    // Every buffer tracked, as in the in-process tests: a LEAK line in a node's log fails the
    // test (Cluster checks every node's logs).
    cmd.add("-Dio.netty.leakDetectionLevel=paranoid");
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(args);
    return cmd;
  }

  static List<String> command(String... args) {
    return command(List.of(args));
  }
}
