package dev.jsync.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Readings from Linux's /proc: loopback byte counters, a process's memory and CPU time. */
final class ProcFs {

  /** Clock ticks per second of /proc/PID/stat's times (USER_HZ; 100 on every Linux we run on). */
  static final int TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /** Bytes received on the loopback interface so far (each byte sent on lo is received once). */
  static long loopbackBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
        String t = line.trim();
        if (t.startsWith("lo:")) {
          return Long.parseLong(t.substring(3).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/net/dev", e);
    }
    throw new IllegalStateException("no loopback interface in /proc/net/dev");
  }

  /** A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1. */
  static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** User plus system CPU time of a process, in ticks. */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name may hold spaces; fields after its closing parenthesis are fixed.
      List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
    } catch (IOException e) {
      return -1;
    }
  }
}
