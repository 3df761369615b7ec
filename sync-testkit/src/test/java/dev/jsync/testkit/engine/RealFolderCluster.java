package dev.jsync.testkit.engine;


import dev.jsync.core.DeviceId;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Several {@link SyncNode}s on real temporary folders in one JVM, over an
 * {@link InMemoryNetwork}, with real threads. Nodes run without the watcher unless asked, and
 * tests call {@link #scan} where a user would save: that keeps the tests fast and exact.
 */
final class RealFolderCluster implements AutoCloseable {

  final InMemoryNetwork network;
  private final ExecutorService delivery;
  private final Path base;
  final Map<String, Member> members = new LinkedHashMap<>();

  RealFolderCluster(Path base) {
    this(base, Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "in-memory-network");
      t.setDaemon(true);
      return t;
    }));
  }

  RealFolderCluster(Path base, ExecutorService delivery) {
    this.base = base;
    this.delivery = delivery;
    this.network = new InMemoryNetwork(delivery);
  }

  RealFolderCluster(Path base, Executor gate, ExecutorService delivery) {
    this.base = base;
    this.delivery = delivery;
    this.network = new InMemoryNetwork(gate);
  }

  /** One device: its folder, its store (which survives restarts) and the running node. */
  final class Member {
    final String name;
    final DeviceId id;
    final Path folder;
    InMemoryIndexStore store = new InMemoryIndexStore();
    SyncNode node;
    final List<SyncEvent> events = new CopyOnWriteArrayList<>();
    SyncOptions options;
    Clock clock = Clock.systemUTC();
    /** Where the node keeps its version history; none unless a test sets it. */
    dev.jsync.core.history.VersionStore versions;
    /** Where the node keeps merge bases (which turns merging on); none unless a test sets it. */
    dev.jsync.core.merge.MergeBases mergeBases;

    Member(String name, SyncOptions options) {
      this.name = name;
      this.id = DeviceId.fromName(name);
      this.folder = base.resolve(name);
      this.options = options.withDeviceName(name);
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Member start() {
      SyncNode.Builder builder = SyncNode.builder(folder, store, network.transport(id))
          .device(id).options(options).clock(clock).listener(events::add);
      if (versions != null) {
        builder.versions(versions);
      }
      if (mergeBases != null) {
        builder.mergeBases(mergeBases);
      }
      node = builder.build();
      node.start();
      return this;
    }

    /** Stops the node as a crash would: nothing is flushed beyond what the store already has. */
    void stop() {
      node.close();
      node = null;
      store = store.reopen();
    }

    void scan() {
      node.scanNow();
    }

    Path path(String rel) {
      return folder.resolve(rel);
    }

    void write(String rel, String content) {
      write(rel, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void write(String rel, byte[] content) {
      try {
        Path p = path(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String read(String rel) {
      try {
        return Files.readString(path(rel));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  Member add(String name) {
    return add(name, SyncOptions.defaults().withWatch(false));
  }

  Member add(String name, SyncOptions options) {
    Member m = new Member(name, options);
    members.put(name, m);
    return m;
  }

  void link(Member a, Member b) {
    network.link(a.id, b.id);
  }

  void cut(Member a, Member b) {
    network.cut(a.id, b.id);
  }

  /** Waits until every member's folder holds the same tree; on timeout, says how they differ. */
  void awaitConverged(Duration timeout) {
    try {
      org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
        List<Map<String, String>> trees = new ArrayList<>();
        for (Member m : members.values()) {
          trees.add(tree(m.folder));
        }
        return trees.stream().distinct().count() == 1;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder b = new StringBuilder("not converged within " + timeout + ":");
      Map<String, String> first = null;
      for (Member m : members.values()) {
        Map<String, String> t = tree(m.folder);
        b.append("\n  ").append(m.name).append(": ").append(m.node == null ? "stopped" : m.node.status());
        if (first == null) {
          first = t;
        } else {
          Map<String, String> f = first;
          t.forEach((k, v) -> {
            if (!v.equals(f.get(k))) {
              b.append("\n    differs: ").append(k);
            }
          });
          f.keySet().stream().filter(k -> !t.containsKey(k)).forEach(k -> b.append("\n    missing: ").append(k));
        }
        m.events.stream().filter(ev -> ev instanceof dev.jsync.core.SyncEvent.Error).limit(5)
            .forEach(ev -> b.append("\n    ").append(ev));
      }
      throw new AssertionError(b.toString(), e);
    }
  }

  /** Waits until {@code check} holds. */
  void await(Duration timeout, java.util.concurrent.Callable<Boolean> check) {
    org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(check);
  }

  /**
   * The folder as a map from relative path to a description of what is there: "dir", "link:T",
   * or the file's SHA-256 and executable bit. jSync's state and temp files are left out.
   */
  static Map<String, String> tree(Path root) {
    Map<String, String> out = new TreeMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root)) {
            out.put(rel(root, dir), "dir");
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (file.getFileName().toString().startsWith(".jsync-tmp-")) {
            return FileVisitResult.CONTINUE;
          }
          if (attrs.isSymbolicLink()) {
            out.put(rel(root, file), "link:" + Files.readSymbolicLink(file));
          } else {
            byte[] digest = dev.jsync.core.Sha256.of(Files.readAllBytes(file)).toBytes();
            boolean exec = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                .contains(PosixFilePermission.OWNER_EXECUTE);
            out.put(rel(root, file), HexFormat.of().formatHex(digest).substring(0, 12) + (exec ? "+x" : ""));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // A file vanished during the walk: the trees differ this time round.
      out.put("<walk failed>", e.toString());
    }
    return out;
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  @Override
  public void close() {
    for (Member m : members.values()) {
      if (m.node != null) {
        m.node.close();
      }
    }
    delivery.shutdownNow();
  }
}
