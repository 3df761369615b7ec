package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * sync-bom has no parent (so that importing it imports only jSync's own versions): this checks
 * what inheritance would otherwise guarantee, that it has the reactor's version and lists every
 * published module, and that the POMs carry the licence, SCM, URL and developers.
 */
class BomTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..");

  private static String first(String xml, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(xml);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }

  private static List<String> all(String xml, String regex) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(xml);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void theBomHasTheReactorsVersionAndEveryPublishedModule() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("sync-bom/pom.xml"));
    String version = first(parent, "<artifactId>jsync-parent</artifactId>\\s*<version>([^<]+)</version>");
    assertThat(first(bom, "<artifactId>sync-bom</artifactId>\\s*<version>([^<]+)</version>")).isEqualTo(version);
    assertThat(bom).doesNotContain("<parent>");
    List<String> published = all(parent, "<module>([^<]+)</module>").stream()
        .filter(m -> !m.equals("sync-bom") && !m.equals("sync-bench")).toList();
    assertThat(published).contains("sync-core", "sync-net", "sync-cli");
    List<String> listed = all(bom, "<artifactId>(sync-[^<]+)</artifactId>");
    assertThat(listed).containsAll(published);
  }

  @Test
  void thePomsSayTheLicenceAndWhereTheSourceIs() throws Exception {
    for (String pom : List.of("pom.xml", "sync-bom/pom.xml")) {
      String xml = Files.readString(ROOT.resolve(pom));
      assertThat(xml).as(pom).contains("<name>Apache-2.0</name>", "<scm>", "<developers>", "<url>");
    }
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
  }
}
