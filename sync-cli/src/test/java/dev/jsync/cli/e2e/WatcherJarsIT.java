package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher a Mac would get, started from each runnable jar the build made, on this Linux
 * machine (no Mac here): FSEvents cannot start (the Linux and Windows jars carry no
 * directory-watcher or JNA; the macOS jars carry them, but only JNA's native library for macOS),
 * so each logs one warning saying why and watches with the JDK's watcher, which sees a save.
 * From the macOS jars this shows that the FSEvents watcher's classes link as far as loading JNA's
 * native library; FSEvents itself has not run here.
 */
class WatcherJarsIT {

  @TempDir Path dir;

  private record Run(String out, String err) {
  }

  private Run probe(Path jar, Path folder) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    // The test classes hold the probe (and a quiet logback-test.xml); the jar holds everything else.
    String classPath = jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        "dev.jsync.cli.internal.WatcherProbe", folder.toString()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the probe did not finish within 60 s");
    }
    Run run = new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    assertThat(p.exitValue()).as("%s", run).isZero();
    return run;
  }

  @Test
  void fromEveryJarAMacSelectionThatCannotStartFsEventsFallsBackToTheJdkWatcherWithOneWarning() throws Exception {
    int checked = 0;
    for (String platform : List.of("linux-x86_64", "linux-aarch_64", "osx-x86_64", "osx-aarch_64", "windows-x86_64")) {
      Path jar = Jsync.jar().getParent().resolve("jsync-" + platform + ".jar");
      if (!Files.exists(jar)) {
        continue;
      }
      checked++;
      Path folder = Files.createDirectories(dir.resolve(platform));
      Run run = probe(jar, folder);
      assertThat(run.out()).as(platform).contains("active=JdkFolderWatcher", "saw the save=true");
      List<String> warnings = run.err().lines().filter(l -> l.contains("WARN")).toList();
      assertThat(warnings).as(platform).singleElement().asString().contains("the FSEvents watcher cannot start (")
          .containsPattern(platform.startsWith("osx-")
              ? "libjnidispatch" // JNA's classes are there; its Linux library is not
              : "ClassNotFoundException: io\\.methvin\\.|NoClassDefFoundError: io/methvin/");
    }
    assertThat(checked).as("platform jars found").isPositive();
  }
}
