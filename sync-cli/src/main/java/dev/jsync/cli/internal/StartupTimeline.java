package dev.jsync.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where a node's start-up time went, phase by phase, from the launch of its process (as the
 * operating system reports it) to listening: one INFO line once the node listens ({@code started
 * in 1.84 s: JVM and command line 0.61 s, index 0.22 s, ...}). For a person wondering why a start
 * is slow, and for {@code sync-bench/e2e}'s cold scenarios, which read the line.
 * Used by the one thread that starts the node.
 */
final class StartupTimeline {

  private record Phase(String name, long endNanos, long endCpuNanos) {}

  private final LongSupplier nanos;
  private final LongSupplier cpuNanos;
  private final long launchNanos;
  private final List<Phase> phases = new ArrayList<>();

  /**
   * @param nanos the monotonic clock
   * @param cpuNanos the process's CPU time so far (all its threads: the JIT's and the
   *     collector's too), or a supplier of -1 where unknown
   * @param launchNanos the launch on {@code nanos}'s scale
   */
  StartupTimeline(LongSupplier nanos, LongSupplier cpuNanos, long launchNanos) {
    this.nanos = nanos;
    this.cpuNanos = cpuNanos;
    this.launchNanos = launchNanos;
  }

  /**
   * A timeline whose origin is this process's launch (the launcher script's, which becomes the
   * JVM), translated to the monotonic clock. On Linux from {@code /proc}: the process's start and
   * the system's uptime, both counted from boot, to 10 ms (the JDK's start instant adds the boot
   * time, which Linux gives only to the second). Elsewhere the JDK's start instant; now if
   * neither says.
   */
  static StartupTimeline sinceLaunch() {
    long now = System.nanoTime();
    long sinceLaunch = linuxAge().orElseGet(() -> ProcessHandle.current().info().startInstant()
        .map(start -> Duration.between(start, Instant.now()).toNanos()).filter(d -> d >= 0).orElse(0L));
    return new StartupTimeline(System::nanoTime, StartupTimeline::processCpuNanos, now - sinceLaunch);
  }

  /** This process's age in nanoseconds from /proc, if readable. */
  private static java.util.Optional<Long> linuxAge() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
      return java.util.Optional.of(age(stat, uptime)).filter(d -> d >= 0);
    } catch (java.io.IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The age in nanoseconds of the process whose {@code /proc/PID/stat} is {@code stat}, given
   * {@code /proc/uptime}: the uptime minus the start time (field 22, in clock ticks of 1/100 s,
   * USER_HZ on every Linux the jar runs on).
   */
  static long age(String stat, String uptime) {
    // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long startTicks = Long.parseLong(fields[19]);
    double up = Double.parseDouble(uptime.trim().split("\\s+")[0]);
    return Math.round(up * 1e9) - startTicks * 10_000_000L;
  }

  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Ends the phase called {@code name} now; it began where the previous one ended. */
  void mark(String name) {
    phases.add(new Phase(name, nanos.getAsLong(), cpuNanos.getAsLong()));
  }

  /**
   * {@code started in T s (C s CPU): phase t s (c s CPU), ...}, from the launch to the last mark;
   * the CPU time is the whole process's (a phase's CPU can exceed its time: the JIT compiles on
   * other threads), left out where the platform does not say.
   */
  String summary() {
    StringBuilder b = new StringBuilder();
    long previous = launchNanos;
    long previousCpu = 0;
    boolean cpuKnown = true;
    for (Phase p : phases) {
      cpuKnown &= p.endCpuNanos >= 0;
      b.append(b.length() == 0 ? ": " : ", ").append(p.name).append(' ').append(seconds(p.endNanos - previous));
      if (cpuKnown) {
        b.append(" (").append(seconds(p.endCpuNanos - previousCpu)).append(" CPU)");
      }
      previous = p.endNanos;
      previousCpu = p.endCpuNanos;
    }
    String total = "started in " + seconds(previous - launchNanos);
    return cpuKnown && !phases.isEmpty() ? total + " (" + seconds(previousCpu) + " CPU)" + b : total + b;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
