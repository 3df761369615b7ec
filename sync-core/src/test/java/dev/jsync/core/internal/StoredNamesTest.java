package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredNamesTest {

  private static RelativePath p(String s) {
    return RelativePath.of(s);
  }

  @Test
  void onAFoldingDiskACaseVariantIsFoundAsTheStoredPathAndTheExactNameIsNot() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.osX())) {
      Path root = Files.createDirectories(fs.getPath("/vault"));
      Files.writeString(root.resolve("Note.md"), "x");
      Files.createDirectories(root.resolve("notes"));
      Files.writeString(root.resolve("notes/a.md"), "a");
      DiskView disk = new DiskView(root, true);

      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("note.md"))).contains(p("Note.md"));
      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("Note.md"))).isEmpty();
      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("other.md"))).isEmpty();
      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("Notes/a.md"))).as("a folder on the way")
          .contains(p("notes"));
      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("Notes/new.md"))).contains(p("notes"));
      assertThat(StoredNames.collision(disk, FolderNaming.MACOS, p("notes/a.md"))).isEmpty();

      assertThat(disk.observe(p("note.md"))).as("the JDK's lookup folds").isPresent();
      assertThat(StoredNames.observe(disk, FolderNaming.MACOS, p("note.md"))).isEmpty();
      assertThat(StoredNames.observe(disk, FolderNaming.MACOS, p("Note.md"))).isPresent();
    }
  }

  @Test
  void onADiskThatFoldsNothingCaseVariantsAreOtherPaths(@TempDir Path root) throws IOException {
    Files.writeString(root.resolve("Note.md"), "x");
    DiskView disk = new DiskView(root, true);

    assertThat(StoredNames.collision(disk, FolderNaming.EXACT, p("note.md"))).isEmpty();
    assertThat(StoredNames.observe(disk, FolderNaming.EXACT, p("Note.md"))).isPresent();
  }

  @Test
  void anNfdNameIsRenamedToItsNfcFormOnADiskThatKeepsNamesAsGiven(@TempDir Path root) throws IOException {
    Path nfd = Files.writeString(root.resolve("cafe\u0301.md"), "x");
    List<String> errors = new ArrayList<>();

    Path now = NfcNames.toNfc(FolderNaming.EXACT, nfd, errors);

    assertThat(now.getFileName().toString()).isEqualTo("caf\u00e9.md");
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s.map(f -> f.getFileName().toString())).containsExactly("caf\u00e9.md");
    }
    assertThat(Files.readString(now)).isEqualTo("x");
    assertThat(errors).isEmpty();
  }

  @Test
  void anNfdNameWhoseNfcFormIsTakenIsLeftAndReported(@TempDir Path root) throws IOException {
    Path nfd = Files.writeString(root.resolve("cafe\u0301.md"), "decomposed");
    Path nfc = Files.writeString(root.resolve("caf\u00e9.md"), "composed");
    List<String> errors = new ArrayList<>();

    assertThat(NfcNames.toNfc(FolderNaming.EXACT, nfd, errors)).isNull();

    assertThat(Files.readString(nfd)).isEqualTo("decomposed");
    assertThat(Files.readString(nfc)).isEqualTo("composed");
    assertThat(errors).singleElement().asString().contains("NFC");
  }

  @Test
  void onANormalisingDiskTheNameIsLeftAsItIs() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.osX())) {
      Path root = Files.createDirectories(fs.getPath("/vault"));
      Path nfd = Files.writeString(root.resolve("cafe\u0301.md"), "x");
      assertThat(NfcNames.toNfc(FolderNaming.MACOS, nfd, new ArrayList<>())).isEqualTo(nfd);
      assertThat(NfcNames.isNfc("cafe\u0301.md")).isFalse();
      assertThat(NfcNames.isNfc("caf\u00e9.md")).isTrue();
      assertThat(NfcNames.isNfc("plain.md")).isTrue();
    }
  }
}
