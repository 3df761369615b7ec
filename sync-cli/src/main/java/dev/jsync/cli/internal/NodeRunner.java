package dev.jsync.cli.internal;

import dev.jsync.core.SyncNode;
import dev.jsync.core.NameMatching;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.core.store.StoreException;
import dev.jsync.net.NetConfig;
import dev.jsync.net.NettyTransport;
import dev.jsync.store.RocksDbIndexStore;
import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a node from validated settings (index store, transport, sync node, status ticker),
 * runs it until SIGTERM or Ctrl-C, and closes it in order. Start-up turns the failures a user can
 * fix (folder already synced by another jsync, port in use) into a {@link BadInvocation} after
 * undoing what it started. Blocks the calling thread for the node's whole life.
 */
final class NodeRunner {

  private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);

  private NodeRunner() {
  }

  /**
   * Runs the node until a stop signal.
   *
   * @param progressLine whether to draw the progress line when standard error is a terminal
   * @return {@link ExitCodes#OK} after an orderly stop
   * @throws BadInvocation if the node cannot start; everything started is closed again
   */
  static int run(RunSettings s, Retention retention, MergeableFiles mergeable, ProgressConsole console,
      boolean progressLine)
      throws InterruptedException {
    return run(s, retention, mergeable, console, progressLine, NameMatching.DETECT);
  }

  /** As {@link #run(RunSettings, Retention, MergeableFiles, ProgressConsole, boolean)}, with the folder's naming given. */
  static int run(RunSettings s, Retention retention, MergeableFiles mergeable, ProgressConsole console,
      boolean progressLine, NameMatching names) throws InterruptedException {
    return run(s, retention, mergeable, console, progressLine, names, Watchers.Choice.AUTO,
        StartupTimeline.sinceLaunch());
  }

  /**
   * As above, with the watcher chosen ({@code --watcher}) and the timeline start-up adds its phases
   * to (its first phase marked by the caller).
   */
  static int run(RunSettings s, Retention retention, MergeableFiles mergeable, ProgressConsole console,
      boolean progressLine, NameMatching names, Watchers.Choice watcher, StartupTimeline timeline)
      throws InterruptedException {
    RunningNode running = new RunningNode();
    // A fallback for stops that are not SIGTERM or SIGINT (SIGHUP, System.exit): close in order anyway.
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "jsync-shutdown"));
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onStop(stop::countDown);
    try {
      synchronized (running.lock()) {
        start(s, retention, mergeable, running, console, progressLine, names, watcher, timeline);
      }
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    stop.await();
    running.close();
    return ExitCodes.OK;
  }

  private static void start(RunSettings s, Retention retention, MergeableFiles mergeable, RunningNode running,
      ProgressConsole console, boolean progressLine, NameMatching names, Watchers.Choice watcher,
      StartupTimeline timeline) {
    // Checks that can fail come before anything is created or logged: a run that cannot
    // listen leaves no state folder behind and prints one line.
    try {
      PortProbe.check(s.listen());
    } catch (BadInvocation e) {
      throw runningHere(s).map(pid -> new BadInvocation(ExitCodes.IN_USE, "another jsync (process " + pid
          + ") is already syncing " + s.folder() + ": stop it first; `jsync status -d " + s.folder()
          + "` shows it")).orElse(e);
    }
    StateFolder.prepare(s.stateDir());
    timeline.mark("checks");
    running.store(openStore(s));
    timeline.mark("index");
    Optional<StatusSnapshot> previous = previousStatus(s);
    Map<String, String> knownNames = StatusTicker.namesFrom(previous);

    NettyTransport transport;
    try {
      transport = new NettyTransport(NetConfig.of(s.stateDir(), s.secret()).withListen(s.listen())
          .withPeers(s.targets()).withTlsEngine(s.tlsEngine()));
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot load or create this device's identity in " + s.stateDir()
          + ": " + e.getMessage());
    }
    running.transport(transport);
    timeline.mark("identity and TLS");
    // This device's own name too: a merge names the devices whose edits it holds, this one among them.
    Map<String, String> deviceNames = new java.util.HashMap<>(knownNames);
    deviceNames.put(transport.deviceId().toString(), s.deviceName());
    EventLog events = new EventLog(s.folder(), deviceNames, System::nanoTime);
    SyncNode.Builder builder = SyncNode.builder(s.folder(), running.store(), transport)
        .options(SyncOptions.defaults().withDeviceName(s.deviceName()).withScanInterval(s.scanInterval())
            .withNames(names).withMergeable(mergeable))
        .listener(events)
        .watcher(Watchers.forPlatform(watcher, System.getProperty("os.name", ""), Thread::new))
        .versions(VersionStore.open(s.stateDir(), s.folder(), retention, Clock.systemUTC()));
    if (!mergeable.extensions().isEmpty()) {
      builder.mergeBases(openMergeBases(s));
    }
    SyncNode node = builder.build();
    running.node(node);
    timeline.mark("history and node");
    log.info("{}: syncing {} as {} ({})", Version.text(), s.folder(), s.deviceName(), transport.deviceId().shortId());
    try {
      node.start();
    } catch (IllegalStateException e) {
      if (hasCause(e, BindException.class)) {
        throw PortProbe.cannotListen(s.listen(), e);
      }
      throw new BadInvocation(ExitCodes.FAILED, "cannot start: " + e.getMessage());
    }
    timeline.mark("loading the index and listening");
    String listen = Targets.formatListen(transport.localAddress());
    List<String> targets = s.targets().stream().map(Targets::format).toList();
    log.info("listening on {}; {}", listen, targets.isEmpty() ? "no peers to dial (-t): waiting for them to connect"
        : "dialing " + String.join(", ", targets));
    StatusSnapshot.NodeFacts facts = new StatusSnapshot.NodeFacts(ProcessHandle.current().pid(),
        ProcessHandle.current().info().startInstant(), s.folder().toString(), s.deviceName(), listen, targets);
    StatusTicker ticker = new StatusTicker(node, events, s.stateDir(), facts, knownNames,
        StatusTicker.lastSeenFrom(previous), console, progressLine, Clock.systemUTC(), running.store()::releaseMemory);
    running.ticker(ticker);
    ticker.start();
    log.info("{}", timeline.summary());
  }

  /** The merge bases in the state folder ({@code merge-bases/}); a node that cannot open them does not start. */
  private static MergeBases openMergeBases(RunSettings s) {
    try {
      return MergeBases.open(s.stateDir().resolve("merge-bases"), MergeBases.DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      throw new BadInvocation(ExitCodes.FAILED, "cannot open the merge bases in " + s.stateDir() + ": " + e.getMessage());
    }
  }

  private static RocksDbIndexStore openStore(RunSettings s) {
    if (System.getProperty(RocksDbIndexStore.NATIVE_LIBRARY_DIR_PROPERTY) == null) {
      // RocksDB's library is kept in the user's cache folder, not re-extracted to /tmp at every start.
      CacheFolder.of(System.getenv(), System.getProperty("os.name"), System.getProperty("user.home"))
          .ifPresent(dir -> System.setProperty(RocksDbIndexStore.NATIVE_LIBRARY_DIR_PROPERTY, dir.toString()));
    }
    try {
      return RocksDbIndexStore.open(s.stateDir());
    } catch (StoreException | LinkageError e) {
      throw indexFailure(s, e, System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
  }

  /** What to tell the user when the index cannot be opened. */
  static BadInvocation indexFailure(RunSettings s, Throwable e, String platform) {
    String why = String.valueOf(e.getMessage());
    if (why.contains("already in use")) {
      return new BadInvocation(ExitCodes.IN_USE, "another jsync is already syncing " + s.folder() + " (" + why
          + "): stop it first; `jsync status -d " + s.folder() + "` shows it");
    }
    if (e instanceof LinkageError || why.contains("rocksdbjni")) {
      // The jar carries RocksDB for Linux x86_64/aarch64 (glibc), macOS and Windows x64 only.
      return new BadInvocation(ExitCodes.FAILED, "the index (RocksDB) has no native library for this platform ("
          + platform + "): jsync runs on 64-bit Linux (x86_64, aarch64; not musl/Alpine), macOS and 64-bit"
          + " Windows, not on 32-bit ARM such as the Raspberry Pi Zero W; see docs/deploy.md (" + why + ")");
    }
    return new BadInvocation(ExitCodes.FAILED, "cannot open the index in " + s.stateDir() + ": " + why);
  }

  /** The process id of a jsync running on this folder, as its status file says. */
  private static Optional<Long> runningHere(RunSettings s) {
    return previousStatus(s).filter(StatusCommand::isRunning).map(StatusSnapshot::pid);
  }

  private static Optional<StatusSnapshot> previousStatus(RunSettings s) {
    try {
      return StatusFile.read(s.stateDir());
    } catch (IOException e) {
      log.debug("ignoring the previous status file: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
