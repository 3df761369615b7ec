package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.cli.internal.JsonProbe;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Version history between two real jsync processes on 127.0.0.1: what a's edits and delete
 * replaced on b is listed by {@code jsync history} on b, and {@code jsync restore} on b brings it
 * back on both devices, with the node running and with it stopped, without a conflict copy.
 */
class HistoryIT {

  @RegisterExtension
  final Cluster cluster = new Cluster();

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void editThreeTimesDeleteListRestoreEverywhere() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Cluster.link(a, b);
    a.write("notes/plan.md", "v1");
    a.write("notes/other.md", "other");
    a.start();
    b.start();
    cluster.awaitConverged(a, b);

    for (String v : List.of("v2", "v3", "v4")) {
      a.write("notes/plan.md", v);
      cluster.await("a's " + v + " on b", () -> v.equals(b.read("notes/plan.md")));
    }
    Files.delete(a.path("notes/plan.md"));
    Files.delete(a.path("notes/other.md"));
    Files.delete(a.path("notes"));
    cluster.await("a's delete on b", () -> !Files.exists(b.path("notes")));

    Run history = Run.of(cluster.base(), Map.of(), "history", "-d", b.folder.toString(), "--json");
    assertThat(history.exitCode()).as(history.err()).isZero();
    List<Map<String, Object>> versions = JsonProbe.array(history.out());
    assertThat(versions).extracting(v -> v.get("path") + " " + v.get("reason") + " " + v.get("by"))
        .containsExactlyInAnyOrder("notes/other.md deleted a", "notes/plan.md deleted a", "notes/plan.md replaced a",
            "notes/plan.md replaced a", "notes/plan.md replaced a");
    List<Map<String, Object>> plan = versions.stream().filter(v -> v.get("path").equals("notes/plan.md")).toList();
    // Newest first: what the delete removed (v4), then what each edit replaced.
    assertThat(plan).extracting(v -> v.get("sha256"))
        .containsExactly(sha256("v4"), sha256("v3"), sha256("v2"), sha256("v1"));
    assertThat(plan).extracting(v -> v.get("size")).containsOnly(2L);
    Run table = Run.of(cluster.base(), Map.of(), "history", "-d", b.folder.toString(), "notes/plan.md");
    assertThat(table.out().split("\n")).hasSize(5).allMatch(l -> l.startsWith("TIME") || l.contains("notes/plan.md"));
    Run status = Run.of(cluster.base(), Map.of(), "status", "-d", b.folder.toString());
    assertThat(status.out()).contains("version history: 5 versions, 13 B, oldest kept ");

    // The whole folder, on b, while b runs: both files come back on both devices.
    Run restore = Run.of(cluster.base(), Map.of(), "restore", "-d", b.folder.toString(), "notes");
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("restored notes/plan.md", "restored notes/other.md");
    cluster.await("the restored folder on a",
        () -> "v4".equals(a.read("notes/plan.md")) && "other".equals(a.read("notes/other.md")));
    cluster.awaitConverged(a, b);
    assertThat(Tree.of(a.folder)).containsOnlyKeys("notes", "notes/plan.md", "notes/other.md");

    // The first version, with b stopped: b takes the change at its next start.
    b.stop();
    String first = (String) plan.get(3).get("version");
    restore = Run.of(cluster.base(), Map.of(), "restore", "-d", b.folder.toString(), "notes/plan.md", "--version",
        first);
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    b.start();
    cluster.await("the first version on a", () -> "v1".equals(a.read("notes/plan.md")));
    cluster.awaitConverged(a, b);
    assertThat(Tree.of(a.folder)).containsOnlyKeys("notes", "notes/plan.md", "notes/other.md");
    assertThat(Tree.of(b.folder)).containsOnlyKeys("notes", "notes/plan.md", "notes/other.md");
  }
}
