package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the runnable jars hold: each platform's RocksDB and BoringSSL libraries and no other's;
 * on macOS also the FSEvents watcher's libraries (directory-watcher, JNA) with JNA's native library
 * for that Mac alone, and elsewhere neither; the build machine's jar well under 20 MB; jSync's
 * licence, the merged NOTICE, and a THIRD-PARTY-NOTICES.txt that names every library the jars
 * bundle (the build lists them in {@code target/bundled-dependencies.txt}).
 */
class JarContentsIT {

  /**
   * Netty's classifier for each platform, the file name of its RocksDB library, its BoringSSL
   * library, and (macOS only) JNA's native library, which the FSEvents watcher loads.
   */
  private static final List<List<String>> PLATFORMS = List.of(
      List.of("linux-x86_64", "librocksdbjni-linux64.so", "libnetty_tcnative_linux_x86_64.so"),
      List.of("linux-aarch_64", "librocksdbjni-linux-aarch64.so", "libnetty_tcnative_linux_aarch_64.so"),
      List.of("osx-x86_64", "librocksdbjni-osx-x86_64.jnilib", "libnetty_tcnative_osx_x86_64.jnilib",
          "com/sun/jna/darwin-x86-64/libjnidispatch.jnilib"),
      List.of("osx-aarch_64", "librocksdbjni-osx-arm64.jnilib", "libnetty_tcnative_osx_aarch_64.jnilib",
          "com/sun/jna/darwin-aarch64/libjnidispatch.jnilib"),
      List.of("windows-x86_64", "librocksdbjni-win64.dll", "netty_tcnative_windows_x86_64.dll"));

  /** A class of each FSEvents watcher library: in the macOS jars, and in no other. */
  private static final List<String> FSEVENTS_CLASSES = List.of("io/methvin/watcher/DirectoryWatcher.class",
      "io/methvin/watchservice/MacOSXListeningWatchService.class", "com/sun/jna/Native.class");

  /**
   * "Well under 20 MB" for the Linux x86-64 jar: 18.4 MB when this was written, of which RocksDB's
   * library is 6.4 MB and BoringSSL's 1.4 MB (compressed), JGit 1.6 MB and protobuf 1.2 MB. A
   * dependency that pushes it past this bound should be a decision, not an accident.
   */
  private static final long LIMIT = 18L << 20;

  private static Path target() {
    return Jsync.jar().getParent();
  }

  private static List<String> natives(JarFile jar) {
    List<String> out = new ArrayList<>();
    for (ZipEntry e : Collections.list(jar.entries())) {
      String n = e.getName();
      if (n.matches("(META-INF/native/|com/sun/jna/[^/]+/)?[^/]*\\.(so|jnilib|dylib|dll|a)")) {
        out.add(n);
      }
    }
    return out;
  }

  private static String text(JarFile jar, String name) throws IOException {
    ZipEntry e = jar.getEntry(name);
    assertThat(e).as(name).isNotNull();
    try (InputStream in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The platform this JVM runs on, as the build's profiles name it (failsafe passes the build's own). */
  private static String thisPlatform() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "windows" : os;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch_64" : arch;
    return o + "-" + a;
  }

  @Test
  void thisPlatformsJarCarriesOnlyItsOwnNativeLibrariesAndStaysSmall() throws Exception {
    String platform = System.getProperty("jsync.platform", thisPlatform());
    List<String> expected = PLATFORMS.stream().filter(p -> p.get(0).equals(platform)).findFirst().orElseThrow(
        () -> new AssertionError("this build ran on a platform without a jar of its own: " + platform));
    Path jarFile = target().resolve("jsync-" + platform + ".jar");
    assertThat(Files.size(jarFile)).as("size of %s", jarFile).isLessThan(LIMIT);
    assertThat(Files.mismatch(jarFile, Jsync.jar())).as("jsync.jar is a copy of this platform's").isEqualTo(-1L);
    try (JarFile jar = new JarFile(jarFile.toFile())) {
      assertThat(natives(jar)).containsExactlyInAnyOrderElementsOf(expectedNatives(expected));
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.jsync.cli.Main");
    }
    try (JarFile base = new JarFile(target().resolve("jsync-base.jar").toFile())) {
      assertThat(natives(base)).isEmpty();
      for (String c : FSEVENTS_CLASSES) {
        assertThat(base.getEntry(c)).as("the base jar holds no %s", c).isNull();
      }
    }
  }

  private static List<String> expectedNatives(List<String> platform) {
    List<String> out = new ArrayList<>(List.of(platform.get(1), "META-INF/native/" + platform.get(2)));
    out.addAll(platform.subList(3, platform.size()));
    return out;
  }

  /**
   * Every platform's jar the build made (all five with -Pall-platforms, else the build machine's):
   * its own native libraries only, and the FSEvents watcher's libraries only if it is a Mac's.
   */
  @Test
  void everyPlatformsJarCarriesItsOwnNativesAndTheFsEventsWatcherOnlyOnMacOs() throws Exception {
    int checked = 0;
    for (List<String> platform : PLATFORMS) {
      Path jarFile = target().resolve("jsync-" + platform.get(0) + ".jar");
      if (!Files.exists(jarFile)) {
        continue;
      }
      checked++;
      boolean mac = platform.get(0).startsWith("osx-");
      try (JarFile jar = new JarFile(jarFile.toFile())) {
        assertThat(natives(jar)).as(platform.get(0)).containsExactlyInAnyOrderElementsOf(expectedNatives(platform));
        for (String c : FSEVENTS_CLASSES) {
          assertThat(jar.getEntry(c) != null).as("%s holds %s", platform.get(0), c).isEqualTo(mac);
        }
        assertThat(jar.getEntry("dev/jsync/cli/internal/FsEventsFolderWatcher.class")).as(platform.get(0)).isNotNull();
      }
    }
    assertThat(checked).as("platform jars found in %s", target()).isPositive();
  }

  @Test
  void licenceAndNoticesAreInTheJar() throws Exception {
    try (JarFile jar = new JarFile(Jsync.jar().toFile())) {
      assertThat(text(jar, "META-INF/LICENSE")).isEqualTo(Files.readString(Path.of("..", "LICENSE")));
      String notice = text(jar, "META-INF/NOTICE");
      // jSync's own notice and those the libraries ship (Netty's and Jackson's among them), merged.
      assertThat(notice).contains("Copyright 2026 The jSync maintainers", "The Netty Project", "Jackson");
      String thirdParty = text(jar, "META-INF/THIRD-PARTY-NOTICES.txt");
      List<String> bundled = Files.readAllLines(Path.of(System.getProperty("jsync.bundled",
          "target/bundled-dependencies.txt"))).stream()
          .map(String::strip)
          .filter(l -> l.matches("[\\w.-]+:[\\w.-]+:jar:.*"))
          .map(l -> l.split(":")[0] + ":" + l.split(":")[1])
          .filter(ga -> !ga.startsWith("dev.jsync:"))
          .distinct().toList();
      assertThat(bundled).as("the build's list of bundled libraries").hasSizeGreaterThan(15)
          .contains("org.rocksdb:rocksdbjni", "io.netty:netty-handler", "com.google.protobuf:protobuf-java");
      for (String ga : bundled) {
        assertThat(thirdParty).as("THIRD-PARTY-NOTICES.txt names %s", ga).contains(ga);
      }
      // The licence texts that must travel with the MIT-licensed libraries, and BoringSSL's.
      assertThat(bundled).as("the FSEvents watcher's libraries").contains("io.methvin:directory-watcher",
          "net.java.dev.jna:jna");
      assertThat(thirdParty).contains("The Legion of the Bouncy Castle", "QOS.ch", "Copyright 2008 Google Inc.");
      assertThat(jar.getEntry("META-INF/license/LICENSE.boringssl.txt")).isNotNull();
      assertThat(text(jar, "about.html")).as("JGit's licence").contains("Eclipse Distribution License");
    }
  }
}
