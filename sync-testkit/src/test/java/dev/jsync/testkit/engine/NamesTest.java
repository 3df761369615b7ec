package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.NameProblem;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Names across platforms (docs/filesystems.md, "Names: case and Unicode"): a Linux node beside
 * a Mac (Jimfs's macOS configuration: case- and normalisation-insensitive lookups) and a Windows
 * node (case-insensitive, Windows' path syntax). Each node finds out how its folder compares
 * names at start, as it would on a real disk.
 */
class NamesTest {

  private static final String NFD = "cafe\u0301.md";
  private static final String NFC = "caf\u00e9.md";

  private final SimNodes nodes = new SimNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private SimNodes.Node node(String name, Configuration config, String folder) throws Exception {
    return node(name, config, folder, SyncOptions.defaults());
  }

  private SimNodes.Node node(String name, Configuration config, String folder, SyncOptions options) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(config.toBuilder().setAttributeViews("basic", "posix").build());
    return nodes.add(name, Files.createDirectories(fs.getPath(folder)), options, fs);
  }

  private SimNodes.Node linux(String name) throws Exception {
    return node(name, Configuration.unix(), "/sync");
  }

  private SimNodes.Node mac(String name) throws Exception {
    return node(name, Configuration.osX(), "/sync");
  }

  private SimNodes.Node windows(String name) throws Exception {
    return node(name, Configuration.windows(), "C:\\sync");
  }

  private void settle() {
    nodes.run(Duration.ofSeconds(10));
  }

  /**
   * Writes each path (its folders made as needed) and text, given in pairs, into {@code n}'s
   * folder, then has {@code n} scan and lets the nodes settle.
   */
  private void save(SimNodes.Node n, String... pathsAndTexts) throws Exception {
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      Path file = n.folder().resolve(pathsAndTexts[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndTexts[i + 1]);
    }
    rescan(n);
  }

  /** Has {@code n} scan its whole folder, then lets the nodes settle. */
  private void rescan(SimNodes.Node n) {
    n.node().scanNow();
    settle();
  }

  /** Renames {@code from} to {@code to} in {@code n}'s folder through a third name, as a Mac tool renames a case variant. */
  private static void renameThroughAnotherName(SimNodes.Node n, String from, String to) throws Exception {
    Path between = n.folder().resolve(from + ".renaming");
    Files.move(n.folder().resolve(from), between);
    Files.move(between, n.folder().resolve(to));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".jsync")).sorted().toList();
    }
  }

  private static long conflictCopies(SimNodes.Node n) {
    return n.events().stream().filter(e -> e instanceof SyncEvent.ConflictCopyCreated).count();
  }

  private record CaseVariants(SimNodes.Node linux, SimNodes.Node mac) {}

  /** A Linux node and a Mac node, after Linux saved {@code note.md} ("lower"), then {@code Note.md} ("upper"). */
  private CaseVariants caseVariantsFromLinux() throws Exception {
    SimNodes.Node linux = linux("linux");
    SimNodes.Node mac = mac("mac");
    settle();
    save(linux, "note.md", "lower");
    save(linux, "Note.md", "upper");
    return new CaseVariants(linux, mac);
  }

  @Test
  void aNoteSavedUnderAnNfdNameSyncsUnderItsNfcNameAndIsRenamedToItOnDisk() throws Exception {
    SimNodes.Node a = linux("a");
    SimNodes.Node b = linux("b");
    settle();

    save(a, NFD, "an accent, decomposed");

    assertThat(Files.readString(b.folder().resolve(NFC))).isEqualTo("an accent, decomposed");
    assertThat(names(a.folder())).as("a's disk holds the NFC name only").containsExactly(NFC);
    assertThat(names(b.folder())).containsExactly(NFC);
    assertThat(a.record(NFC)).isPresent();
    assertThat(a.node().status().inSync()).isTrue();
    assertThat(a.events()).filteredOn(e -> e instanceof SyncEvent.NameNormalized).singleElement()
        .isEqualTo(new SyncEvent.NameNormalized(RelativePath.of(NFC), NFD));

    // An edit under the new name syncs as any other.
    Files.writeString(a.folder().resolve(NFC), "edited");
    a.node().scan(List.of(RelativePath.of(NFC)));
    settle();
    assertThat(Files.readString(b.folder().resolve(NFC))).isEqualTo("edited");
  }

  @Test
  void anNfdNameWhoseNfcFormIsTakenIsReportedAndNeitherFileIsTouched() throws Exception {
    SimNodes.Node a = linux("a");
    SimNodes.Node b = linux("b");
    settle();

    save(a, NFC, "composed", NFD, "decomposed");

    assertThat(Files.readString(a.folder().resolve(NFD))).isEqualTo("decomposed");
    assertThat(Files.readString(a.folder().resolve(NFC))).isEqualTo("composed");
    assertThat(Files.readString(b.folder().resolve(NFC))).isEqualTo("composed");
    assertThat(a.events()).anyMatch(e -> e instanceof SyncEvent.Error err && err.message().contains("NFC"));
  }

  @Test
  void aCaseVariantFromLinuxIsRefusedOnAMacWithAStatusLineNamingBothAndNothingIsMerged() throws Exception {
    CaseVariants v = caseVariantsFromLinux();
    SimNodes.Node linux = v.linux();
    SimNodes.Node mac = v.mac();

    assertThat(names(mac.folder())).containsExactly("note.md");
    assertThat(Files.readString(mac.folder().resolve("note.md"))).isEqualTo("lower");
    assertThat(conflictCopies(mac)).isZero();
    List<NameProblem> problems = mac.node().status().nameProblems();
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo(RelativePath.of("Note.md"));
      assertThat(p.collidesWith()).contains(RelativePath.of("note.md"));
      assertThat(p.line()).contains("'Note.md'").contains("'note.md'");
    });
    assertThat(mac.events()).filteredOn(e -> e instanceof SyncEvent.NameRefused).hasSize(1);
    assertThat(mac.node().status().inSync()).as("a refusal is reported, not retried as a need").isTrue();
    assertThat(names(linux.folder())).containsExactly("Note.md", "note.md");
    assertThat(mac.record("Note.md")).isEmpty();

    // A rescan on the Mac does not take the file for the refused path, nor the reverse.
    rescan(mac);
    assertThat(names(linux.folder())).containsExactly("Note.md", "note.md");
    assertThat(Files.readString(linux.folder().resolve("Note.md"))).isEqualTo("upper");
    assertThat(Files.readString(linux.folder().resolve("note.md"))).isEqualTo("lower");
    assertThat(mac.node().status().nameProblems()).hasSize(1);

    // Deleting the refused variant on Linux deletes nothing on the Mac, and the problem goes.
    Files.delete(linux.folder().resolve("Note.md"));
    rescan(linux);
    assertThat(Files.readString(mac.folder().resolve("note.md"))).isEqualTo("lower");
    assertThat(mac.node().status().nameProblems()).isEmpty();
    assertThat(names(linux.folder())).containsExactly("note.md");
  }

  @Test
  void whenTheVariantInTheWayIsDeletedTheRefusedOneArrives() throws Exception {
    CaseVariants v = caseVariantsFromLinux();
    SimNodes.Node linux = v.linux();
    SimNodes.Node mac = v.mac();
    assertThat(mac.node().status().nameProblems()).hasSize(1);

    Files.delete(linux.folder().resolve("note.md"));
    rescan(linux);

    assertThat(names(mac.folder())).containsExactly("Note.md");
    assertThat(Files.readString(mac.folder().resolve("Note.md"))).isEqualTo("upper");
    assertThat(mac.node().status().nameProblems()).isEmpty();
    assertThat(names(linux.folder())).containsExactly("Note.md");
  }

  @Test
  void aCaseOnlyRenameOnAMacIsRecordedAsARenameSoLinuxKeepsOneName() throws Exception {
    SimNodes.Node mac = mac("mac");
    SimNodes.Node linux = linux("linux");
    settle();
    save(mac, "note.md", "text", "Folder/inside.md", "inside");
    assertThat(names(linux.folder())).containsExactly("Folder", "note.md");

    // As a Mac tool renames: through another name (Jimfs, like some file systems, takes a
    // rename to a case variant of the same name for no change at all).
    renameThroughAnotherName(mac, "note.md", "Note.md");
    renameThroughAnotherName(mac, "Folder", "folder");
    // The watcher names the old and the new name; a lookup of the old one still finds the file.
    mac.node().scan(List.of(RelativePath.of("note.md"), RelativePath.of("Note.md"), RelativePath.of("Folder"),
        RelativePath.of("folder")));
    settle();

    assertThat(names(linux.folder())).containsExactly("Note.md", "folder");
    assertThat(Files.readString(linux.folder().resolve("Note.md"))).isEqualTo("text");
    assertThat(Files.readString(linux.folder().resolve("folder/inside.md"))).isEqualTo("inside");
    assertThat(mac.record("note.md")).hasValueSatisfying(r -> assertThat(r.deleted()).isTrue());
    assertThat(mac.record("Folder/inside.md")).hasValueSatisfying(r -> assertThat(r.deleted()).isTrue());
    assertThat(names(mac.folder())).containsExactly("Note.md", "folder");
    assertThat(mac.node().status().nameProblems()).isEmpty();
  }

  @Test
  void aCaseOnlyRenameFoundByAFullScanIsARenameToo() throws Exception {
    SimNodes.Node mac = mac("mac");
    SimNodes.Node linux = linux("linux");
    settle();
    save(mac, "note.md", "text");

    renameThroughAnotherName(mac, "note.md", "NOTE.md");
    rescan(mac);

    assertThat(names(linux.folder())).containsExactly("NOTE.md");
    assertThat(names(mac.folder())).containsExactly("NOTE.md");
  }

  @Test
  void aFolderCaseVariantFromLinuxIsRefusedWithEverythingInsideIt() throws Exception {
    SimNodes.Node linux = linux("linux");
    SimNodes.Node windows = windows("windows");
    settle();
    save(linux, "notes/a.md", "a");
    save(linux, "Notes/b.md", "b");

    assertThat(names(windows.folder())).containsExactly("notes");
    assertThat(names(windows.folder().resolve("notes"))).containsExactly("a.md");
    assertThat(windows.node().status().nameProblems()).extracting(p -> p.path().toString())
        .containsExactlyInAnyOrder("Notes", "Notes/b.md");
    assertThat(windows.node().status().nameProblems()).allSatisfy(p ->
        assertThat(p.collidesWith()).contains(RelativePath.of("notes")));
    assertThat(windows.node().status().inSync()).isTrue();
  }

  @Test
  void namesWindowsCannotHoldAreReportedThereAndKeptEverywhereElse() throws Exception {
    SimNodes.Node linux = linux("linux");
    SimNodes.Node windows = windows("windows");
    SimNodes.Node mac = mac("mac");
    settle();
    save(linux, "plan: draft.md", "colon", "con.md", "device", "trailing.", "dot", "fine.md", "fine");

    assertThat(names(windows.folder())).containsExactly("fine.md");
    assertThat(windows.node().status().nameProblems()).extracting(p -> p.path().toString())
        .containsExactlyInAnyOrder("plan: draft.md", "con.md", "trailing.");
    assertThat(windows.node().status().nameProblems()).allSatisfy(p -> {
      assertThat(p.collidesWith()).isEmpty();
      assertThat(p.line()).contains("cannot be held on this platform");
    });
    assertThat(windows.events()).filteredOn(e -> e instanceof SyncEvent.NameRefused).hasSize(3);
    assertThat(windows.events()).noneMatch(e -> e instanceof SyncEvent.Error);
    assertThat(linux.events()).as("the device that has them is told once each")
        .filteredOn(e -> e instanceof SyncEvent.NameNotPortable).extracting(e -> ((SyncEvent.NameNotPortable) e).path())
        .containsExactlyInAnyOrder(RelativePath.of("plan: draft.md"), RelativePath.of("con.md"),
            RelativePath.of("trailing."));
    assertThat(windows.node().status().inSync()).isTrue();
    assertThat(names(mac.folder())).containsExactly("con.md", "fine.md", "plan: draft.md", "trailing.");
    assertThat(names(linux.folder())).containsExactly("con.md", "fine.md", "plan: draft.md", "trailing.");

    // Deleted where it was made, it is no problem any more.
    Files.delete(linux.folder().resolve("con.md"));
    rescan(linux);
    assertThat(windows.node().status().nameProblems()).extracting(p -> p.path().toString())
        .containsExactlyInAnyOrder("plan: draft.md", "trailing.");
    assertThat(names(mac.folder())).doesNotContain("con.md");
  }

  @Test
  void aRestartedNodeListsTheSameRefusalsEvenWithNoPeerOnline() throws Exception {
    SimNodes.Node linux = linux("linux");
    SimNodes.Node mac = mac("mac");
    SimNodes.Node windows = windows("windows");
    settle();
    save(linux, "note.md", "lower");
    save(linux, "Note.md", "upper", "con.md", "device");
    List<NameProblem> macBefore = mac.node().status().nameProblems();
    List<NameProblem> windowsBefore = windows.node().status().nameProblems();
    assertThat(macBefore).extracting(p -> p.path().toString()).containsExactly("Note.md");
    assertThat(windowsBefore).extracting(p -> p.path().toString()).containsExactlyInAnyOrder("Note.md", "con.md");

    // Every peer is gone, and each of them restarts alone: nothing can be pulled, yet the refused
    // paths are the same refusals, not needs waiting for a peer.
    nodes.stop(linux);
    nodes.stop(windows);
    SimNodes.Node mac2 = nodes.restart("mac", mac, SyncOptions.defaults(), dev.jsync.core.disk.Disks.system());
    settle();
    assertThat(mac2.node().status().nameProblems()).isEqualTo(macBefore);
    assertThat(mac2.node().status().filesNeeded()).as("a refusal is not a need").isZero();
    assertThat(mac2.events()).filteredOn(e -> e instanceof SyncEvent.NameRefused).hasSize(1);
    assertThat(names(mac2.folder())).containsExactly("con.md", "note.md");
    assertThat(Files.readString(mac2.folder().resolve("note.md"))).isEqualTo("lower");

    nodes.stop(mac2);
    SimNodes.Node windows2 = nodes.restart("windows", windows, SyncOptions.defaults(),
        dev.jsync.core.disk.Disks.system());
    settle();
    assertThat(windows2.node().status().nameProblems()).isEqualTo(windowsBefore);
    assertThat(windows2.node().status().filesNeeded()).isZero();
    assertThat(names(windows2.folder())).containsExactly("note.md");
  }

  @Test
  void theNamingIsFoundPerFolderAndCanBeSet() throws Exception {
    // A Linux folder told it is Windows refuses what Windows would.
    SimNodes.Node told = node("told", Configuration.unix(), "/sync",
        SyncOptions.defaults().withNames(dev.jsync.core.NameMatching.WINDOWS));
    SimNodes.Node linux = linux("linux");
    settle();
    save(linux, "aux.txt", "device name");

    assertThat(names(told.folder())).isEmpty();
    assertThat(told.node().status().nameProblems()).extracting(p -> p.path().toString()).containsExactly("aux.txt");
    assertThat(names(linux.folder())).containsExactly("aux.txt");
    assertThat(linux.folder().resolve(".jsync")).as("the probe leaves nothing behind").doesNotExist();
  }
}
