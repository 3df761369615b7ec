package dev.jsync.cli.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive: two real {@code jsync} processes on
 * 127.0.0.1, each recording the classes it loads ({@code -XX:DumpLoadedClassList}), sync a small
 * folder both ways (notes, an empty folder and file, a file large enough to be hashed and filled on
 * several threads, an edit, a one-byte change that reuses blocks, a delete), a third process runs
 * {@code jsync status}, and both nodes are stopped with SIGTERM. The union of the lists is what
 * {@code java -Xshare:dump} turns into the archive, so a node finds nearly every class it will
 * ever load already parsed and laid out in a file the JVM maps (docs/benchmarks.md, F).
 *
 * <p>On JDK 25 and later the launcher asks for an AOT cache instead ({@code --aot-cache OUT}):
 * the receiving node runs with {@code -XX:AOTCacheOutput=OUT}, and as it stops its JVM writes the
 * classes it loaded and linked and the profiles of the methods it ran, which later starts map
 * with {@code -XX:AOTCache} (JEPs 483, 514, 515). A cache holds what one process did, so the
 * receiver is the one that trains: its work (pulling, assembling, applying) is most of what a
 * fresh node spends its CPU on.
 *
 * <p>Run as {@code java -cp jsync.jar dev.jsync.cli.internal.ClassDataTraining --java JAVA --jar
 * JAR (--class-list OUT | --aot-cache OUT) [-- JVM-OPTIONS...]}; exits 0 once OUT is written, 1
 * (with one line on standard error) if any step failed or took longer than a minute. Everything
 * else it creates lives in a temporary folder that it removes.
 */
public final class ClassDataTraining {

  private static final Duration STEP_LIMIT = Duration.ofSeconds(60);
  private static final String USAGE =
      "expected --java JAVA --jar JAR (--class-list OUT | --aot-cache OUT) [-- JVM-OPTIONS...]";
  /** Over BlockHasher's 16 MiB threshold, so hashing and filling on several threads are trained too. */
  private static final int LARGE_FILE = 17 << 20;

  private final Path java;
  private final Path jar;
  private final List<String> jvmOptions;
  private final Path work;
  /** Where the receiving node writes its AOT cache; null to record class lists instead. */
  private final Path aotCache;

  private ClassDataTraining(Path java, Path jar, List<String> jvmOptions, Path work, Path aotCache) {
    this.java = java;
    this.jar = jar;
    this.jvmOptions = jvmOptions;
    this.work = work;
    this.aotCache = aotCache;
  }

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) {
    try {
      Map<String, String> named = new TreeMap<>();
      List<String> jvmOptions = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--")) {
          jvmOptions.addAll(Arrays.asList(args).subList(i + 1, args.length));
          break;
        }
        if (i + 1 >= args.length || !args[i].startsWith("--")) {
          throw new IllegalArgumentException(USAGE);
        }
        named.put(args[i], args[++i]);
      }
      for (String required : List.of("--java", "--jar")) {
        if (!named.containsKey(required)) {
          throw new IllegalArgumentException("missing " + required);
        }
      }
      if (named.containsKey("--class-list") == named.containsKey("--aot-cache")) {
        throw new IllegalArgumentException(USAGE);
      }
      Path aot = named.containsKey("--aot-cache") ? Path.of(named.get("--aot-cache")).toAbsolutePath() : null;
      Path work = Files.createTempDirectory("jsync-class-training");
      try {
        Set<String> classes = new ClassDataTraining(Path.of(named.get("--java")), Path.of(named.get("--jar")),
            jvmOptions, work, aot).run();
        if (aot == null) {
          writeClassList(classes, Path.of(named.get("--class-list")));
        } else if (!Files.isRegularFile(aot) || Files.size(aot) == 0) {
          throw new IOException("the receiving node wrote no AOT cache (its log: " + work.resolve("b.log") + ")");
        }
      } finally {
        deleteTree(work);
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("jsync class-data training: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Runs the two nodes through the script and returns the union of the classes they loaded (none
   * when training an AOT cache, which the receiving node's JVM has written once this returns).
   */
  Set<String> run() throws IOException, InterruptedException {
    Path a = Files.createDirectories(work.resolve("a"));
    Path b = Files.createDirectories(work.resolve("b"));
    Random random = new Random(7);
    for (int i = 0; i < 40; i++) {
      Path note = a.resolve("folder" + (i % 4)).resolve("note " + i + ".md");
      Files.createDirectories(note.getParent());
      Files.write(note, randomText(random, 200 + random.nextInt(8000)));
    }
    Files.createDirectories(a.resolve("empty folder"));
    Files.write(a.resolve("empty.txt"), new byte[0]);
    Files.write(a.resolve("Ünïcödé.md"), "# ü\n".getBytes(StandardCharsets.UTF_8));
    byte[] large = new byte[LARGE_FILE];
    new SecureRandom().nextBytes(large);
    Files.write(a.resolve("large.bin"), large);

    int portA = freePort();
    int portB = freePort();
    String secret = HexFormat.of().formatHex(SecureRandom.getSeed(16));
    Process nodeA = start("a", a, portA, portB, secret);
    Process nodeB = start("b", b, portB, portA, secret);
    try {
      awaitSame(a, b, "the initial sync");
      append(b.resolve("folder1/note 1.md"), "\n- a line added on b\n");
      awaitSame(a, b, "an edit from b");
      try (FileChannel ch = FileChannel.open(a.resolve("large.bin"), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {42}), LARGE_FILE / 2);
      }
      Files.delete(a.resolve("folder2/note 2.md"));
      awaitSame(a, b, "a one-byte change and a delete from a");
      status(a);
    } finally {
      stop(nodeA);
      stop(nodeB);
    }
    List<List<String>> lists = new ArrayList<>();
    for (String name : List.of("a", "b", "status")) {
      Path list = work.resolve(name + ".classes");
      if (Files.exists(list)) {
        lists.add(Files.readAllLines(list, StandardCharsets.UTF_8));
      }
    }
    Set<String> classes = merge(lists);
    if (classes.isEmpty() && aotCache == null) {
      throw new IOException("the nodes recorded no classes");
    }
    return classes;
  }

  /**
   * The union of several processes' class lists, each class once, in the order first seen. On
   * JDK 17 a class line is just its name; newer JDKs add {@code id: N}, numbered per process, so
   * the ids are renumbered. Lines of classes from other class loaders (which name a super class
   * and interfaces by those ids) cannot be carried across lists and are left out; jSync has none.
   * Other directives ({@code @lambda-proxy} and the like) name classes, not ids, and are kept
   * once each.
   */
  static Set<String> merge(List<List<String>> lists) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> names = new HashSet<>();
    int nextId = 0;
    for (List<String> list : lists) {
      for (String line : list) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        if (l.startsWith("@")) {
          out.add(l);
          continue;
        }
        String[] fields = l.split("\\s+");
        if (l.contains(" super: ") || l.contains(" interfaces: ") || l.contains(" source: ")
            || !names.add(fields[0])) {
          continue;
        }
        out.add(fields.length >= 3 && fields[1].equals("id:") ? fields[0] + " id: " + nextId++ : fields[0]);
      }
    }
    return out;
  }

  private Process start(String name, Path folder, int port, int peer, String secret) throws IOException {
    ProcessBuilder pb = jsync(name, "-d", folder.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "-t", "127.0.0.1:" + peer, "--name", "training-" + name, "--state-dir", work.resolve(name + "-state").toString());
    pb.environment().put("JSYNC_PASSWORD", secret);
    return pb.start();
  }

  private void status(Path folder) throws IOException, InterruptedException {
    Process p = jsync("status", "status", "-d", folder.toString(), "--state-dir", work.resolve("a-state").toString())
        .start();
    if (!p.waitFor(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jsync status did not finish within " + STEP_LIMIT.toSeconds() + " s");
    }
  }

  /** {@code jsync args} recording its classes in {@code name.classes}, its output in {@code name.log}. */
  private ProcessBuilder jsync(String name, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    if (aotCache == null) {
      cmd.add("-XX:DumpLoadedClassList=" + work.resolve(name + ".classes"));
    } else if (name.equals("b")) {
      cmd.add("-XX:AOTCacheOutput=" + aotCache);
    }
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
  }

  /** Waits until the two folders hold the same files with the same contents. */
  private void awaitSame(Path a, Path b, String step) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
    // Sizes first: the contents (a 17 MiB file among them) are read only once those agree.
    while (!tree(a, false).equals(tree(b, false)) || !tree(a, true).equals(tree(b, true))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the nodes did not converge after " + step + " within " + STEP_LIMIT.toSeconds()
            + " s (logs in " + work + ")");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Relative path to the file's size or a digest of its content, or "dir" for a folder; the
   * state folder left out.
   */
  private static Map<String, String> tree(Path root, boolean contents) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (rel.isEmpty() || rel.startsWith(".jsync")) {
          continue;
        }
        out.put(rel, Files.isDirectory(p) ? "dir" : contents ? digest(p) : size(p));
      }
    } catch (UncheckedIOException e) {
      return Map.of("unreadable", e.getMessage()); // a file vanished mid-walk: not converged yet
    }
    return out;
  }

  private static String size(Path file) {
    try {
      return Long.toString(Files.size(file));
    } catch (IOException e) {
      return "unreadable"; // vanished mid-walk: not converged yet
    }
  }

  private static String digest(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      return "unreadable";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: the node's orderly stop
    if (!p.waitFor(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
  }

  private static byte[] randomText(Random random, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + random.nextInt(26));
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static void writeClassList(Set<String> classes, Path out) throws IOException {
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, classes, StandardCharsets.UTF_8);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("jsync class-data training: could not remove " + root + ": " + e.getMessage());
    }
  }
}
