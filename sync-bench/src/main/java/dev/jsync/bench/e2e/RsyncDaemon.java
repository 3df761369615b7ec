package dev.jsync.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference: an rsync daemon on 127.0.0.1 serving one writable module, so that every
 * rsync run is a real transfer over loopback (the network protocol with its delta algorithm),
 * not a local copy.
 */
final class RsyncDaemon implements AutoCloseable {

  final int port;
  final Path moduleDir;
  private final Process process;

  private RsyncDaemon(int port, Path moduleDir, Process process) {
    this.port = port;
    this.moduleDir = moduleDir;
    this.process = process;
  }

  static RsyncDaemon start(Path work) throws Exception {
    Path module = Files.createDirectories(work.resolve("rsync-module"));
    Path conf = work.resolve("rsyncd.conf");
    Files.writeString(conf, String.join("\n",
        "use chroot = false",
        "pid file = " + work.resolve("rsyncd.pid"),
        "[bench]",
        "  path = " + module,
        "  read only = false",
        "  uid = root",
        "  gid = root",
        ""));
    int port = JsyncProcess.freePort();
    Process p = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--address=127.0.0.1", "--port=" + port,
        "--config=" + conf).redirectErrorStream(true).redirectOutput(work.resolve("rsyncd.log").toFile()).start();
    RsyncDaemon d = new RsyncDaemon(port, module, p);
    JsyncProcess.awaitTrue(() -> {
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(20));
    return d;
  }

  /** {@code rsync -a [extra] src/ rsync://127.0.0.1:port/bench/dest/}; returns the seconds it took. */
  double push(Path src, String dest, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("rsync", "-a"));
    cmd.addAll(List.of(extra));
    cmd.add(src + (Files.isDirectory(src) ? "/" : ""));
    cmd.add("rsync://127.0.0.1:" + port + "/bench/" + dest);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("rsync failed: " + out);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
