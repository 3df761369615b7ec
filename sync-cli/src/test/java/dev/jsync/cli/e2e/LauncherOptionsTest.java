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
    return javaArguments(javaOpts, null);
  }

  private List<String> javaArguments(String javaOpts, String platform) throws Exception {
    Path fakeJava = Files.createDirectories(root.resolve("jdk/bin")).resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("jsync.launcher", "../jsync")).toString(),
        "--version").redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("JSYNC_NO_BUILD", "1");
    pb.environment().put("JSYNC_CDS", "off");
    if (platform == null) {
      pb.environment().remove("JSYNC_PLATFORM");
    } else {
      pb.environment().put("JSYNC_PLATFORM", platform);
    }
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

  @Test
  void standardErrorThatIsNoTerminalIsSaidSo() throws Exception {
    // This test reads the launcher's output through a pipe: standard error is no terminal.
    assertThat(javaArguments(null)).contains("-Djsync.stderr.terminal=false");
  }

  @Test
  void aPlatformWithoutItsOwnJarRunsJsyncJar() throws Exception {
    List<String> args = javaArguments(null, "plan9-mips");
    String jar = args.get(args.indexOf("-jar") + 1);
    assertThat(jar).endsWith("/sync-cli/target/jsync.jar");
  }

  @Test
  void theWindowsLauncherUsesTheSameJvmDefaultsAndJarNames() throws Exception {
    Path root = Path.of(System.getProperty("jsync.launcher", "../jsync")).getParent();
    String sh = Files.readString(root.resolve("jsync"));
    String cmd = Files.readString(root.resolve("jsync.cmd"));
    assertThat(cmd).contains("\r\n").contains("jsync-windows-x86_64.jar", "sync-cli\\target\\jsync.jar",
        "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "JSYNC_JAVA_OPTS");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("set \"opts=(-Xms[^\"]+)\"").matcher(cmd);
    assertThat(m.find()).isTrue();
    for (String option : m.group(1).split(" ")) {
      assertThat(sh).as("./jsync uses %s too", option).contains(option);
    }
  }
}
