package dev.jsync.cli.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * This machine's name, the default device name. Reads the environment, then
 * {@code /etc/hostname}, and only then asks the resolver, which can stall for seconds on a
 * machine whose own name does not resolve. Stateless.
 */
final class HostName {

  private HostName() {
  }

  static String get(Map<String, String> env) {
    for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String v = clean(env.get(var));
      if (v != null) {
        return v;
      }
    }
    for (String file : new String[] {"/etc/hostname", "/proc/sys/kernel/hostname"}) {
      try {
        String v = clean(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        if (v != null) {
          return v;
        }
      } catch (IOException | RuntimeException e) {
        // Not Linux, or not readable: try the next source.
      }
    }
    try {
      String v = clean(InetAddress.getLocalHost().getHostName());
      if (v != null) {
        return v;
      }
    } catch (IOException e) {
      // No name at all: fall through.
    }
    return "jsync";
  }

  /** The first line, without control characters, at most 255 characters; null if blank. */
  private static String clean(String raw) {
    if (raw == null) {
      return null;
    }
    String line = raw.strip().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "").strip();
    if (line.isEmpty()) {
      return null;
    }
    return line.length() > 255 ? line.substring(0, 255) : line;
  }
}
