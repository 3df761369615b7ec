package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options the {@code ./jsync} launcher passes, seen by a stand-in {@code java} (a script
 * that prints its arguments) so no JVM starts: a node out of memory must exit, for its
 * supervisor to restart it, rather than linger with a dead thread.
 */
class LauncherOptionsTest {

  @TempDir
  Path root;

  private List<String> javaArguments(String javaOpts) throws Exception {
    Path fakeJava = Files.createDirectories(root.resolve("jdk/bin")).resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("jsync.launcher", "../jsync")).toString(),
        "--version").redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("JSYNC_NO_BUILD", "1");
    pb.environment().put("JSYNC_CDS", "off");
    if (javaOpts == null) {
      pb.environment().remove("JSYNC_JAVA_OPTS");
    } else {
      pb.environment().put("JSYNC_JAVA_OPTS", javaOpts);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void theDefaultsExitOnOutOfMemory() throws Exception {
    assertThat(javaArguments(null)).contains("-XX:+ExitOnOutOfMemoryError", "-Xmx128m", "-jar", "--version");
  }

  @Test
  void ownJvmOptionsKeepItUnlessTheyChooseOtherwise() throws Exception {
    assertThat(javaArguments("-Xmx512m")).contains("-Xmx512m", "-XX:+ExitOnOutOfMemoryError")
        .doesNotContain("-Xmx128m");
    assertThat(javaArguments("-Xmx512m -XX:+CrashOnOutOfMemoryError")).contains("-XX:+CrashOnOutOfMemoryError")
        .doesNotContain("-XX:+ExitOnOutOfMemoryError");
  }
}
