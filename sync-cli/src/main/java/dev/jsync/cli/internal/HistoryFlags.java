package dev.jsync.cli.internal;

import dev.jsync.core.history.Retention;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The run's version-history options, a picocli mixin of {@link JsyncCommand}:
 * {@code --keep-versions=DURATION|0} and {@code --versions-size=SIZE|PERCENT}. See docs/history.md.
 */
final class HistoryFlags {

  private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

  @Option(names = "--keep-versions", paramLabel = "DURATION",
      description = "How long to keep what peers' changes replace or delete, e.g. 30d (the default), 12h, 8w;"
          + " 0 keeps nothing. Restore with `jsync restore`.")
  String keepVersions;

  @Option(names = "--versions-size", paramLabel = "SIZE",
      description = "The most space kept versions may take, e.g. 500MiB or 2GiB (default: 20%% of the folder's"
          + " size, at least 16 MiB and at most 1 GiB). The oldest go first.")
  String versionsSize;

  /** @throws BadInvocation if a value is malformed */
  Retention retention() {
    Retention r = Retention.defaults();
    if (keepVersions != null) {
      r = r.withMaxAge(age(keepVersions));
    }
    if (versionsSize != null) {
      r = r.withMaxBytes(bytes(versionsSize));
    }
    return r;
  }

  static Duration age(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = Pattern.compile("([0-9]{1,6})\\s*(w|d|h|m|s)").matcher(t);
    if (!m.matches()) {
      throw BadInvocation.usage("--keep-versions '" + text + "' is not a duration: write e.g. 30d, 12h or 8w,"
          + " or 0 to keep no versions");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "w" -> Duration.ofDays(7 * n);
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).length() > 15) {
      throw BadInvocation.usage("--versions-size '" + text + "' is not a size: write e.g. 500MiB or 2GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = switch (unit.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw BadInvocation.usage("--versions-size '" + text + "' is too large");
    }
    return n << shift;
  }
}
