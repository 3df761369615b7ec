package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jsync} launcher's class-data archive, in a copy of the repository layout (the
 * launcher and the built jar) so the real {@code sync-cli/target} is left alone: the first start
 * trains two real nodes, dumps the archive and says so; later starts map it without training
 * again, and the JVM loads jSync's own classes from it.
 */
class LauncherArchiveIT {

  @TempDir
  Path root;

  private Path launcher;

  private record Result(int exitCode, String out, String err) {
  }

  private Result launch(String javaOpts, String... args) throws IOException, InterruptedException {
    return launchWith(Path.of(System.getProperty("java.home")), javaOpts, args);
  }

  private Result launchWith(Path javaHome, String javaOpts, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(concat(launcher.toString(), args)).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().put("JSYNC_NO_BUILD", "1");
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().remove("JSYNC_CDS");
    if (javaOpts != null) {
      pb.environment().put("JSYNC_JAVA_OPTS", javaOpts);
    } else {
      pb.environment().remove("JSYNC_JAVA_OPTS");
    }
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the launcher did not finish within 180 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** The launcher and the jar copied into {@code root} as a checkout lays them out; returns the target folder. */
  private Path layOut() throws IOException {
    Path repoLauncher = Path.of(System.getProperty("jsync.launcher", "../jsync"));
    launcher = root.resolve("jsync");
    Files.copy(repoLauncher, launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = Files.createDirectories(root.resolve("sync-cli/target"));
    Files.copy(Jsync.jar(), target.resolve("jsync.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    return target;
  }

  @Test
  void theFirstStartPreparesTheArchiveAndLaterStartsLoadFromIt() throws Exception {
    Path target = layOut();
    Path archive = target.resolve("jsync.jsa");

    Result first = launch(null, "--version");
    assertThat(first.exitCode()).as("stderr: %s", first.err()).isZero();
    assertThat(first.out()).startsWith("jsync 0.");
    assertThat(first.err()).contains("preparing the class-data archive").doesNotContain("could not prepare");
    assertThat(archive).isRegularFile();
    assertThat(Files.size(archive)).isGreaterThan(10L << 20);
    assertThat(target.resolve("jsync.jsa.lock")).doesNotExist();

    // The launcher's own settings plus class-loading logs: the archive is used, nothing is trained again.
    String defaults = "-Xms16m -Xmx128m -XX:+UseSerialGC -Xlog:class+load=info";
    Result second = launch(defaults, "--version");
    assertThat(second.exitCode()).as("stderr: %s", second.err()).isZero();
    assertThat(second.err()).doesNotContain("preparing");
    List<String> fromArchive = second.out().lines().filter(l -> l.contains("source: shared objects file")).toList();
    // jSync's own classes; picocli's are too on JDK 17, but newer JDKs leave out a library's
    // classes compiled for Java 5 (picocli's are).
    assertThat(fromArchive).anyMatch(l -> l.contains("dev.jsync.cli.Main "))
        .anyMatch(l -> l.contains("dev.jsync.cli.internal.JsyncCommand "));
    assertThat(second.out()).contains("jsync 0.");

    // A newer jar (a rebuild) makes the next start prepare a fresh archive.
    Files.setLastModifiedTime(target.resolve("jsync.jar"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
    Result rebuilt = launch(null, "--version");
    assertThat(rebuilt.exitCode()).as("stderr: %s", rebuilt.err()).isZero();
    assertThat(rebuilt.err()).contains("preparing the class-data archive");

    // A checkout moved elsewhere (the archive records the jar's path) prepares its own.
    Path moved = Files.createDirectories(root.resolve("moved/sync-cli/target"));
    for (String name : List.of("jsync.jar", "jsync.jsa", "jsync.jsa.stamp")) {
      Files.copy(target.resolve(name), moved.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.copy(launcher, root.resolve("moved/jsync"), StandardCopyOption.COPY_ATTRIBUTES);
    launcher = root.resolve("moved/jsync");
    Result movedRun = launch(null, "--version");
    assertThat(movedRun.exitCode()).as("stderr: %s", movedRun.err()).isZero();
    assertThat(movedRun.err()).contains("preparing the class-data archive");
    assertThat(Files.readString(moved.resolve("jsync.jsa.stamp"))).contains(moved.resolve("jsync.jar").toString());

    // JSYNC_CDS=off, or an archive chosen in JSYNC_JAVA_OPTS, leaves the launcher's archive out.
    Result off = launch("-Xmx128m -Xshare:off", "--version");
    assertThat(off.exitCode()).isZero();
    assertThat(off.err()).doesNotContain("preparing");
  }

  /**
   * On JDK 25 and later the launcher prepares an AOT cache instead of a class-data archive, and
   * later starts load jSync's classes from it. Needs a JDK 25 or later: {@code jsync.jdk25} names
   * one, or one is looked for under /usr/lib/jvm (the build machine's has one).
   */
  @Test
  void onJdk25TheFirstStartPreparesAnAotCacheAndLaterStartsLoadFromIt() throws Exception {
    Optional<Path> jdk = jdk25();
    Assumptions.assumeTrue(jdk.isPresent(), "no JDK 25 or later here: set -Djsync.jdk25=/path/to/jdk");
    Path target = layOut();

    Result first = launchWith(jdk.get(), null, "--version");
    assertThat(first.exitCode()).as("stderr: %s", first.err()).isZero();
    assertThat(first.out()).startsWith("jsync 0.");
    assertThat(first.err()).contains("preparing the class-data archive").doesNotContain("could not prepare");
    assertThat(target.resolve("jsync.aot")).isRegularFile();
    assertThat(Files.size(target.resolve("jsync.aot"))).isGreaterThan(10L << 20);
    assertThat(target.resolve("jsync.jsa")).doesNotExist();
    try (Stream<Path> left = Files.list(target)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("nothing of the training left beside the jar").containsExactlyInAnyOrder("jsync.jar", "jsync.aot",
              "jsync.jsa.stamp");
    }

    String defaults = "-Xms16m -Xmx128m -XX:+UseSerialGC -Xlog:class+load=info";
    Result second = launchWith(jdk.get(), defaults, "--version");
    assertThat(second.exitCode()).as("stderr: %s", second.err()).isZero();
    assertThat(second.err()).doesNotContain("preparing");
    assertThat(second.out().lines().filter(l -> l.contains("source: shared objects file")))
        .anyMatch(l -> l.contains("dev.jsync.cli.Main "))
        .anyMatch(l -> l.contains("dev.jsync.cli.internal.JsyncCommand "));
  }

  private static Optional<Path> jdk25() throws IOException {
    String named = System.getProperty("jsync.jdk25", "");
    if (!named.isBlank()) {
      return Optional.of(Path.of(named));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> all = Files.list(jvms)) {
      return all.filter(j -> feature(j) >= 25).sorted().findFirst();
    }
  }

  /** The feature release a JDK's {@code release} file names, or 0. */
  private static int feature(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
