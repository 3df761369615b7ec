package dev.jsync.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The devices of one end-to-end test, as a JUnit extension: after each test it kills every
 * process still running (by its handle), prints every log if the test failed, and deletes the
 * folders. Waits poll for a condition with a generous limit: a slow 2-core machine is slow, not
 * wrong.
 */
final class Cluster implements AfterEachCallback {

  static final String SECRET = "correct horse battery staple";
  static final Duration LIMIT = Duration.ofSeconds(90);

  private final List<Node> nodes = new ArrayList<>();
  private final List<Relay> relays = new ArrayList<>();
  private Path base;

  Path base() {
    if (base == null) {
      try {
        base = Files.createTempDirectory("jsync-e2e-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return base;
  }

  /** A device with an empty folder and a free port, not started. */
  Node add(String name) {
    Path folder = base().resolve(name);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = freePort();
    while (taken(port)) {
      port = freePort();
    }
    Node n = new Node(name, folder, port, base());
    nodes.add(n);
    return n;
  }

  /** Each of the two dials the other, so whichever restarts reconnects at once. */
  static void link(Node a, Node b) {
    dial(a, b);
    b.targets.add(a);
  }

  /**
   * {@code from} dials {@code to} through a new {@link Relay}; {@code to} only accepts, so every
   * byte between the two crosses the relay. Closed after the test.
   */
  Relay dialThroughRelay(Node from, Node to) {
    Relay relay = relayNotOnANodesPort(to.port);
    relays.add(relay);
    from.targetPorts.add(relay.port());
    from.peers.add(to);
    to.peers.add(from);
    return relay;
  }

  /**
   * A relay whose own port is none of the nodes' ports: those are picked free but left unbound
   * until their node starts, so the system may hand one of them to the relay.
   */
  private Relay relayNotOnANodesPort(int targetPort) {
    List<Relay> refused = new ArrayList<>();
    try {
      while (true) {
        Relay relay = new Relay(targetPort);
        if (!takenByANode(relay.port())) {
          return relay;
        }
        refused.add(relay); // kept bound until a good one is found, so it is not handed out again
      }
    } finally {
      refused.forEach(Relay::close);
    }
  }

  /** Whether a node or relay of this cluster has the port, bound or not yet. */
  private boolean taken(int port) {
    return takenByANode(port) || relays.stream().anyMatch(r -> r.port() == port);
  }

  private boolean takenByANode(int port) {
    return nodes.stream().anyMatch(n -> n.port == port);
  }

  /** {@code from} dials {@code to}; {@code to} only accepts. */
  static void dial(Node from, Node to) {
    from.targets.add(to);
    from.peers.add(to);
    to.peers.add(from);
  }

  void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      for (Node n : nodes) {
        if (n.diedUnexpectedly()) {
          throw new AssertionError(n + " " + n.describe() + " while waiting for: " + what);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + LIMIT.toSeconds() + " s waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until every node holds the same tree and reports being in sync with its peers. */
  void awaitConverged(Node... group) {
    awaitConverged(Set.of(), group);
  }

  /**
   * Waits until every node holds the same tree, apart from the {@code localOnly} paths (ignored
   * files that stay where they are), reports being in sync with its peers, and holds no temp
   * file (a converged tree holds none: invariant 5).
   */
  void awaitConverged(Set<String> localOnly, Node... group) {
    await("the same tree on " + List.of(group) + ", all in sync, no temp file", () -> {
      for (Node n : group) {
        if (!n.inSyncWith(n.peerCount()) || !Tree.temps(n.folder).isEmpty()) {
          return false;
        }
      }
      Map<String, String> first = synced(group[0], localOnly);
      for (int i = 1; i < group.length; i++) {
        if (!synced(group[i], localOnly).equals(first)) {
          return false;
        }
      }
      return true;
    });
  }

  private static Map<String, String> synced(Node n, Set<String> localOnly) {
    Map<String, String> tree = Tree.of(n.folder);
    tree.keySet().removeAll(localOnly);
    return tree;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    boolean failed = context.getExecutionException().isPresent();
    List<String> states = new ArrayList<>();
    for (Node n : nodes) {
      states.add(n.describe());
      n.kill();
    }
    relays.forEach(Relay::close);
    List<String> leaky = new ArrayList<>();
    for (Node n : nodes) {
      if (n.allLogs().contains("LEAK:")) {
        leaky.add(n.name);
      }
    }
    failed |= !leaky.isEmpty();
    if (failed) {
      for (int i = 0; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        System.out.println("===== log of " + n.name + " (" + context.getDisplayName() + "), " + states.get(i));
        System.out.println(n.allLogs());
        System.out.println("===== tree of " + n.name + ": " + Tree.of(n.folder));
      }
    }
    if (base != null) {
      deleteTree(base);
    }
    if (!leaky.isEmpty() && context.getExecutionException().isEmpty()) {
      throw new AssertionError("Netty LEAK report(s) in the log of " + leaky + " (logs printed above)");
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.out.println("could not delete " + root + ": " + e);
    }
  }
}
