package dev.jsync.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL at random moments while it keeps versions (hard links and
 * copies, 64 KiB to 320 KiB each), many times over the same store, until a few kills have landed
 * in the middle of a keep (how many kills that takes depends on the machine's speed). After every kill: every
 * version listed is whole (its content hashes to its name), every version the child reported
 * kept is listed, and a crash's leftovers are never listed; at the end, one sweep removes them all.
 */
class VersionStoreCrashTest {

  /** Kills go on until this many have landed inside a keep (leaving a crash's leftovers)... */
  private static final int MID_WRITE_KILLS = 3;
  /** ...or until this many kills in all, where the test fails: it did not test what it is for. */
  private static final int MAX_KILLS = 40;
  private static final Retention RETENTION = new Retention(Duration.ofDays(30), OptionalLong.of(1L << 30));

  /** The child: keeps versions of five files in a loop, printing each id once it is kept. */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      Path folder = Path.of(args[0]);
      VersionStore store = VersionStore.open(folder.resolve(".jsync"), folder, RETENTION, Clock.systemUTC());
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      Random random = new Random();
      out.println("ready");
      for (int i = 0; ; i++) {
        byte[] content = new byte[64 * 1024 * (1 + random.nextInt(5))];
        random.nextBytes(content);
        Path file = folder.resolve("f" + i % 5);
        Path temp = folder.resolve("tmp-" + i);
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Version v = store.keep(RelativePath.of("f" + i % 5), file,
            i % 3 == 0 ? Version.Reason.CONFLICT : Version.Reason.REPLACED, "child").orElseThrow();
        out.println("kept " + v.id());
      }
    }
  }

  @Test
  void aKilledWriterLeavesWholeVersionsOrNothing(@TempDir Path folder) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path stderr = folder.getParent().resolve(folder.getFileName() + "-child-stderr.txt");
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    int midWrite = 0;
    int kills = 0;
    for (int round = 0; round < MAX_KILLS && midWrite < MID_WRITE_KILLS; round++) {
      kills++;
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
          Writer.class.getName(), folder.toString()).redirectError(stderr.toFile()).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("child said (stderr: %s)", stderr).isEqualTo("ready");
        Thread reader = new Thread(() -> {
          try {
            for (String line; (line = out.readLine()) != null; ) {
              acknowledged.add(line.substring("kept ".length()));
            }
          } catch (IOException e) {
            // the pipe closes with the child
          }
        });
        reader.start();
        Thread.sleep(50 + random.nextInt(400));
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
      }

      VersionStore store = VersionStore.open(folder.resolve(".jsync"), folder, RETENTION, Clock.systemUTC());
      List<Version> listed = store.list();
      String where = "round " + round + " (seed " + seed + ")";
      for (Version v : listed) {
        assertThat(sha256(Files.readAllBytes(store.content(v)))).as(where).isEqualTo(v.sha256());
      }
      assertThat(listed.stream().map(Version::id).toList()).as(where).containsAll(acknowledged);
      if (!leftovers(store, listed).isEmpty()) {
        midWrite++;
      }
    }
    VersionStore store = VersionStore.open(folder.resolve(".jsync"), folder, RETENTION, Clock.systemUTC());
    store.sweep();
    assertThat(leftovers(store, store.list())).isEmpty();
    System.out.printf("version store crash test: %d SIGKILLs, %d versions kept, %d kills left a write half done,"
        + " seed %d%n", kills, acknowledged.size(), midWrite, seed);
    assertThat(acknowledged).as("versions kept in all").hasSizeGreaterThanOrEqualTo(kills / 2);
    assertThat(midWrite).as("kills that landed inside a keep, of %d", kills).isGreaterThanOrEqualTo(MID_WRITE_KILLS);
  }

  /** Files in {@code tmp/}, and objects no listed version names. */
  private static List<Path> leftovers(VersionStore store, List<Version> listed) throws IOException {
    List<Path> out = new ArrayList<>();
    Set<String> named = listed.stream().map(Version::sha256).collect(Collectors.toSet());
    Path dir = store.directory();
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      tmp.forEach(out::add);
    }
    try (Stream<Path> objects = Files.walk(dir.resolve("objects"))) {
      objects.filter(Files::isRegularFile).filter(p -> !named.contains(p.getFileName().toString())).forEach(out::add);
    }
    return out;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
