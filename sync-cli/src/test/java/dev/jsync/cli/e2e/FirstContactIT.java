package dev.jsync.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The usual way to set up a second device: copy the vault over first (a USB stick, {@code cp -a},
 * rsync), then start jSync on both. Two copies of the same 10,000 notes meet with no state on
 * either side: they must adopt each other's history with no file data on the wire, no temp
 * file and no conflict copy, whatever the modification times.
 */
class FirstContactIT {

  static final int NOTES = 10_000;
  static final int NOTE_BYTES = 4096;

  @RegisterExtension
  final Cluster cluster = new Cluster();

  @Test
  void twoCopiesOfTheSameVaultMeetWithNothingButTheIndexOnTheWire() throws Exception {
    Node a = cluster.add("a");
    Node b = cluster.add("b");
    Random random = new Random(18);
    byte[] content = new byte[NOTE_BYTES];
    for (int i = 0; i < NOTES; i++) {
      String rel = "notes/folder-" + (i % 200) + "/note-" + i + ".md";
      random.nextBytes(content);
      Path original = a.path(rel);
      Files.createDirectories(original.getParent());
      Files.write(original, content);
      Path copy = b.path(rel);
      Files.createDirectories(copy.getParent());
      Files.copy(original, copy);
      // To the nanosecond, as cp -a and rsync -t keep it (the JDK's COPY_ATTRIBUTES keeps microseconds).
      Files.setLastModifiedTime(copy, Files.getLastModifiedTime(original));
      if (i % 10 == 0) {
        // Copied by a tool that does not keep times: same bytes, a later time on b.
        Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(original).toMillis() + 3_600_000));
      }
    }
    Map<String, String> before = Tree.of(a.folder);
    assertThat(Tree.of(b.folder)).isEqualTo(before);
    long contentBytes = (long) NOTES * NOTE_BYTES;

    Relay wire = cluster.dialThroughRelay(a, b);
    long t0 = System.nanoTime();
    a.start();
    b.start();
    cluster.awaitConverged(a, b);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    System.out.printf("first contact of two copies of %,d notes: converged %d s after launch, %,d bytes on the wire%n",
        NOTES, seconds, wire.bytes());

    // Same tree as before on both sides: no conflict copy, nothing lost, no temp file.
    assertThat(Tree.of(a.folder)).isEqualTo(before);
    assertThat(Tree.of(b.folder)).isEqualTo(before);
    assertThat(Tree.temps(a.folder)).isEmpty();
    assertThat(Tree.temps(b.folder)).isEmpty();
    // Index records only: each side's index of 10,000 records and the adoptions that answer
    // it, a few MB, against 40 MB of notes. Any sizeable share of the notes would show.
    assertThat(wire.bytes()).as("bytes on the wire, after %d s", seconds).isLessThan(contentBytes / 4);
    // Only the files whose times differ change at all (their time); the rest just record the
    // other side's history, which is no news for the user.
    long touched = java.util.stream.Stream.of(a.log(), b.log())
        .flatMap(l -> l.lines()).filter(l -> l.contains("same content, new time or permissions")).count();
    assertThat(touched).as("files whose time was set").isLessThanOrEqualTo(NOTES / 10);
    for (Node n : new Node[] {a, b}) {
      // A dial that reaches a node still busy hashing 10,000 notes on a loaded machine may hit the
      // 10 s setup timeout and is simply redialed: that warning is not what this test is about.
      String log = n.log().lines().filter(l -> !l.contains("not finished within"))
          .collect(java.util.stream.Collectors.joining("\n"));
      assertThat(log).as(n + "'s log").doesNotContainPattern("received \\S+\\.md")
          .doesNotContain("conflict", "WARN", "ERROR");
    }
  }
}
