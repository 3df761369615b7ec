package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {

  @TempDir
  Path root;

  private final TinyStore store = new TinyStore();
  private final DeviceId me = DeviceId.fromName("me");

  private Scanner scanner() {
    return new Scanner(new DiskView(root), store);
  }

  /** Records what a scan found as the index's state, as the engine would. */
  private void record(Scanner.Result r) {
    store.recordScanned(r.changes(), me);
  }

  @Test
  void findsFilesEmptyFoldersAndLinksButNotIgnoredOrStateOrTempFiles() throws Exception {
    Files.createDirectories(root.resolve("a/empty"));
    Files.writeString(root.resolve("a/note.md"), "x");
    Files.writeString(root.resolve("a/.DS_Store"), "junk");
    Files.createDirectories(root.resolve(".jsync"));
    Files.writeString(root.resolve(".jsync/state"), "ours");
    Files.writeString(root.resolve("a/.jsync-tmp-123"), "partial");
    Files.createSymbolicLink(root.resolve("link"), root.resolve("/etc"));

    Scanner.Result r = scanner().scanAll(IgnoreRules.defaults());

    assertThat(r.changes()).extracting(i -> i.path().toString())
        .containsExactlyInAnyOrder("a", "a/empty", "a/note.md", "link");
    ScanItem link = r.changes().stream().filter(i -> i.path().toString().equals("link")).findFirst().orElseThrow();
    assertThat(link.observed().orElseThrow().kind()).isEqualTo(FileKind.SYMLINK);
    assertThat(link.observed().orElseThrow().symlinkTarget()).isEqualTo("/etc");
  }

  @Test
  void anUnchangedFileIsNotReadAgainAndAChangedOrVanishedOneIsFound() throws Exception {
    Files.writeString(root.resolve("keep.md"), "same");
    Files.writeString(root.resolve("edit.md"), "before");
    Files.writeString(root.resolve("gone.md"), "bye");
    record(scanner().scanAll(IgnoreRules.defaults()));

    assertThat(scanner().scanAll(IgnoreRules.defaults()).changes()).isEmpty();

    Files.writeString(root.resolve("edit.md"), "after, longer");
    Files.delete(root.resolve("gone.md"));
    Scanner.Result r = scanner().scanAll(IgnoreRules.defaults());
    assertThat(r.changes()).extracting(i -> i.path().toString()).containsExactlyInAnyOrder("edit.md", "gone.md");
    assertThat(r.changes().stream().filter(i -> i.path().toString().equals("gone.md")).findFirst().orElseThrow()
        .observed()).isEmpty();
  }

  @Test
  void aScanOfAVanishedFolderFindsEverythingTheIndexHeldBelowIt() throws Exception {
    Files.createDirectories(root.resolve("d/e"));
    Files.writeString(root.resolve("d/e/f.md"), "x");
    record(scanner().scanAll(IgnoreRules.defaults()));

    Files.delete(root.resolve("d/e/f.md"));
    Files.delete(root.resolve("d/e"));
    Files.delete(root.resolve("d"));
    Scanner.Result r = scanner().scanPaths(List.of(RelativePath.of("d")), IgnoreRules.defaults());
    assertThat(r.changes()).extracting(i -> i.path().toString()).containsExactlyInAnyOrder("d", "d/e", "d/e/f.md");
    assertThat(r.changes()).allMatch(i -> i.observed().isEmpty());
  }

  /** The scanner keeps its compact copy of the index between full scans: each scan must see afresh. */
  @Test
  void oneScannerFindsEachChangeScanAfterScan() throws Exception {
    Scanner s = scanner();
    IgnoreRules rules = IgnoreRules.defaults();
    Files.writeString(root.resolve("a.md"), "1");
    Files.writeString(root.resolve("b.md"), "2");
    Files.createDirectories(root.resolve("d"));
    record(s.scanAll(rules));
    assertThat(s.scanAll(rules).changes()).isEmpty();

    Files.delete(root.resolve("b.md"));
    Files.writeString(root.resolve("d/c.md"), "3");
    Scanner.Result r = s.scanAll(rules);
    assertThat(r.changes()).extracting(i -> i.path().toString() + (i.observed().isPresent() ? "" : " gone"))
        .containsExactlyInAnyOrder("b.md gone", "d/c.md");
    record(r);
    assertThat(s.scanAll(rules).changes()).as("a tombstone is not reported again").isEmpty();

    Files.writeString(root.resolve("b.md"), "back");
    Files.setPosixFilePermissions(root.resolve("a.md"), PosixFilePermissions.fromString("rwxr--r--"));
    r = s.scanAll(rules);
    assertThat(r.changes()).extracting(i -> i.path().toString()).containsExactlyInAnyOrder("a.md", "b.md");
    record(r);
    assertThat(s.scanAll(rules).changes()).isEmpty();
  }

  /** Linux answers a look below a file with "Not a directory", not "no such file": still gone. */
  @Test
  void aFolderReplacedByAFileTakesWhatWasBelowItWithIt() throws Exception {
    Files.createDirectories(root.resolve("d/e"));
    Files.writeString(root.resolve("d/e/f.md"), "x");
    record(scanner().scanAll(IgnoreRules.defaults()));
    Files.delete(root.resolve("d/e/f.md"));
    Files.delete(root.resolve("d/e"));
    Files.delete(root.resolve("d"));
    Files.writeString(root.resolve("d"), "a file now");

    Scanner.Result full = scanner().scanAll(IgnoreRules.defaults());
    Scanner.Result named = scanner().scanPaths(List.of(RelativePath.of("d")), IgnoreRules.defaults());
    for (Scanner.Result r : List.of(full, named)) {
      assertThat(r.errors()).isEmpty();
      assertThat(r.changes()).extracting(i -> i.path() + (i.observed().isPresent() ? "" : " gone"))
          .containsExactlyInAnyOrder("d", "d/e gone", "d/e/f.md gone");
    }
  }
}
