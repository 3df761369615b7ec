package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.Version;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jsync history} and {@code jsync restore} in-process, on a store filled as a node would fill it. */
class HistoryCommandsTest {

  @TempDir
  Path folder;

  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  private VersionStore store() {
    return VersionStore.open(folder.resolve(".jsync"), folder, Retention.defaults(), Clock.systemUTC());
  }

  private Path write(String rel, String content) throws IOException {
    Path p = folder.resolve(rel);
    Files.createDirectories(p.getParent());
    Path temp = p.resolveSibling(".jsync-tmp-test");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return p;
  }

  private Version keep(String rel, String content, Version.Reason reason) throws IOException {
    Path p = write(rel, content);
    Version v = store().keep(RelativePath.of(rel), p, reason, "laptop").orElseThrow();
    if (reason == Version.Reason.DELETED) {
      Files.delete(p);
    }
    try {
      Thread.sleep(2); // distinct times, so newest-first is well defined
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return v;
  }

  @Test
  @SuppressWarnings("unchecked")
  void historyJsonIsOneArrayNewestFirstWithEveryField() throws Exception {
    Version a = keep("notes/a.md", "first", Version.Reason.REPLACED);
    Version b = keep("notes/a.md", "second", Version.Reason.DELETED);
    keep("other.md", "x", Version.Reason.CONFLICT);

    assertThat(run("history", "-d", folder.toString(), "notes", "--json")).isZero();
    List<Object> list = (List<Object>) StatusFile.parseJson(cli.out());
    assertThat(list).hasSize(2);
    Map<String, Object> newest = (Map<String, Object>) list.get(0);
    assertThat(newest).containsOnlyKeys("path", "version", "sha256", "size", "time", "reason", "by");
    assertThat(newest).containsEntry("path", "notes/a.md").containsEntry("version", b.id())
        .containsEntry("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest("second".getBytes(StandardCharsets.UTF_8))))
        .containsEntry("size", 6L).containsEntry("time", b.time().toString()).containsEntry("reason", "deleted")
        .containsEntry("by", "laptop");
    assertThat(((Map<String, Object>) list.get(1)).get("version")).isEqualTo(a.id());
    assertThat((String) newest.get("time")).endsWith("Z");

    assertThat(run("history", "-d", folder.toString(), "--json")).isZero();
    assertThat((List<Object>) StatusFile.parseJson(cli.out())).hasSize(3);
    assertThat(run("history", "-d", folder.toString(), "nothing/here", "--json")).isZero();
    assertThat(cli.out().strip()).isEqualTo("[]");
  }

  @Test
  void historyTableShowsSizesReasonsAndIds() throws Exception {
    Version a = keep("notes/a.md", "x".repeat(2048), Version.Reason.DELETED);
    assertThat(run("history", "-d", folder.toString())).isZero();
    String[] lines = cli.out().split("\n");
    assertThat(lines[0]).startsWith("TIME").contains("SIZE", "REASON", "BY", "VERSION", "PATH");
    assertThat(lines[1]).contains("2.00 KiB", "deleted", "laptop", a.id(), "notes/a.md");
    assertThat(run("history", "-d", folder.resolve("empty-folder-missing").toString())).isEqualTo(ExitCodes.FOLDER);
  }

  @Test
  void restoreWritesTheFileBackAndSaysWhat() throws Exception {
    Version first = keep("notes/a.md", "first", Version.Reason.REPLACED);
    keep("notes/a.md", "second", Version.Reason.DELETED);
    assertThat(run("restore", "-d", folder.toString(), "notes/a.md")).isZero();
    assertThat(Files.readString(folder.resolve("notes/a.md"))).isEqualTo("second");
    assertThat(cli.out()).startsWith("restored notes/a.md (version ");

    assertThat(run("restore", "-d", folder.toString(), folder.resolve("notes/a.md").toString(), "--version",
        first.id(), "--to", "notes/old.md")).isZero();
    assertThat(Files.readString(folder.resolve("notes/old.md"))).isEqualTo("first");
    assertThat(Files.readString(folder.resolve("notes/a.md"))).isEqualTo("second");
  }

  @Test
  void restoreRefusalsSayWhyWithTheirExitCodes() throws Exception {
    keep("a.md", "x", Version.Reason.DELETED);
    assertThat(run("restore", "-d", folder.toString(), "b.md")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync restore: no versions of b.md are kept");
    assertThat(run("restore", "-d", folder.toString(), "a.md", "--version", "../../x")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("no version ../../x is kept");
    assertThat(run("restore", "-d", folder.toString(), "/etc/passwd")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("is not inside the folder");
    assertThat(run("restore", "-d", folder.toString(), "a.md", "--to", "../outside.md")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("is not a path jsync syncs");
    assertThat(run("restore", "-d", folder.toString(), ".jsync/versions/lock")).isEqualTo(ExitCodes.USAGE);
    assertThat(folder.getParent().resolve("outside.md")).doesNotExist();
    assertThat(run("restore", "-d", folder.toString())).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void statusLineGivesSizeAndOldest() throws Exception {
    assertThat(HistoryStatus.line(folder.resolve(".jsync"), folder)).isEqualTo("version history: nothing kept yet\n");
    keep("a.md", "12345", Version.Reason.DELETED);
    keep("b.md", "12345", Version.Reason.DELETED);
    assertThat(HistoryStatus.line(folder.resolve(".jsync"), folder))
        .startsWith("version history: 2 versions, 5 B, oldest kept 20");
  }

  @Test
  void retentionFlags() {
    assertThat(HistoryFlags.age("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(HistoryFlags.age("8w")).isEqualTo(Duration.ofDays(56));
    assertThat(HistoryFlags.age("0")).isZero();
    assertThat(HistoryFlags.bytes("500MiB")).isEqualTo(500L << 20);
    assertThat(HistoryFlags.bytes("2g")).isEqualTo(2L << 30);
    assertThat(HistoryFlags.bytes("123")).isEqualTo(123);
    HistoryFlags f = new HistoryFlags();
    f.keepVersions = "0";
    assertThat(f.retention().enabled()).isFalse();
    assertThat(run("-d", folder.toString(), "--keep-versions", "forever")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --keep-versions 'forever' is not a duration");
    assertThat(run("-d", folder.toString(), "--versions-size", "lots")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --versions-size 'lots' is not a size");
  }

  @Test
  void theMergeFlagNamesExtensionsOrNone() {
    MergeFlags f = new MergeFlags();
    assertThat(f.mergeable()).isEqualTo(dev.jsync.core.merge.MergeableFiles.defaults());
    f.merge = "md,.org";
    assertThat(f.mergeable().extensions()).containsExactlyInAnyOrder("md", "org");
    f.merge = "none";
    assertThat(f.mergeable().extensions()).isEmpty();
    assertThat(run("-d", folder.toString(), "--merge", "md,notes/x")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("jsync: --merge 'md,notes/x': not a file extension");
  }
}
