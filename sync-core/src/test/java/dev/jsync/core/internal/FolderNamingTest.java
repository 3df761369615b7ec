package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderNamingTest {

  @Test
  void aLinuxDiskKeepsCaseAndNormalisationApart(@TempDir Path dir) throws IOException {
    Path scratch = dir.resolve(".jsync").resolve("probe");

    assertThat(FolderNaming.probe(scratch)).isEqualTo(FolderNaming.EXACT);
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void aMacDiskFoldsCaseAndNormalisation() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.osX())) {
      Path scratch = fs.getPath("/vault/.jsync/probe");
      assertThat(FolderNaming.probe(scratch)).isEqualTo(FolderNaming.MACOS);
      try (var left = Files.list(scratch)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void aWindowsDiskFoldsCaseOnly() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.windows())) {
      assertThat(FolderNaming.probe(fs.getPath("C:\\vault\\.jsync\\probe"))).isEqualTo(FolderNaming.WINDOWS);
    }
  }

  @Test
  void collidingPathsAreFoundByTheFoldsOfTheFolder() {
    assertThat(FolderNaming.MACOS.collide("notes/Plan.md", "notes/plan.md")).isTrue();
    assertThat(FolderNaming.MACOS.collide("Notes/plan.md", "notes/plan.md")).isTrue();
    assertThat(FolderNaming.WINDOWS.collide("STRASSE.md", "strasse.md")).isTrue();
    assertThat(FolderNaming.EXACT.collide("notes/Plan.md", "notes/plan.md")).isFalse();
    assertThat(FolderNaming.MACOS.collide("notes/plan.md", "notes/plan.md")).as("the same path").isFalse();
    assertThat(FolderNaming.MACOS.collide("caf\u00e9.md", "CAF\u00c9.md")).isTrue();
    assertThat(FolderNaming.MACOS.collide("a.md", "b.md")).isFalse();
  }

  @Test
  void namesWindowsCannotHoldAreNamedWithTheReason() {
    assertThat(FolderNaming.unportableOnWindows("CON")).hasValueSatisfying(r -> assertThat(r).contains("device"));
    assertThat(FolderNaming.unportableOnWindows("nul.txt")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("com1.md")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("a:b.md")).hasValueSatisfying(r -> assertThat(r).contains("':'"));
    assertThat(FolderNaming.unportableOnWindows("what?.md")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("tab\there")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("trailing.")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("trailing ")).isPresent();
    assertThat(FolderNaming.unportableOnWindows("console.md")).isEmpty();
    assertThat(FolderNaming.unportableOnWindows("com10.md")).isEmpty();
    assertThat(FolderNaming.unportableOnWindows("Plan – 2026.md")).isEmpty();
  }

  @Test
  void onlyAWindowsFolderRefusesWhatWindowsCannotHoldAndASetNamingNeedsNoProbe() {
    assertThat(FolderNaming.WINDOWS.cannotHold("con.md")).isPresent();
    assertThat(FolderNaming.EXACT.cannotHold("con.md")).isEmpty();
    assertThat(FolderNaming.MACOS.cannotHold("a:b")).isEmpty();
    assertThat(FolderNaming.of(dev.jsync.core.NameMatching.WINDOWS)).isEqualTo(FolderNaming.WINDOWS);
    assertThat(FolderNaming.of(dev.jsync.core.NameMatching.MACOS)).isEqualTo(FolderNaming.MACOS);
    assertThat(FolderNaming.of(dev.jsync.core.NameMatching.EXACT)).isEqualTo(FolderNaming.EXACT);
  }
}
