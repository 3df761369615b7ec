package dev.jsync.cli.internal;

import dev.jsync.core.history.Retention;
import dev.jsync.core.history.VersionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The line {@code jsync status} shows about the version store: its size and oldest version. Reads files. */
final class HistoryStatus {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private HistoryStatus() {
  }

  static String line(Path stateDir, Path folder) {
    VersionStore store = VersionStore.open(stateDir, folder, Retention.unlimited(), Clock.systemUTC());
    try {
      VersionStore.Summary s = store.summary();
      if (s.versions() == 0) {
        return "version history: nothing kept yet\n";
      }
      return "version history: " + Units.count(s.versions(), "version", "versions") + ", " + Units.bytes(s.bytes())
          + ", oldest kept " + LOCAL.format(s.oldest().orElseThrow()) + " (jsync history -d " + folder + ")\n";
    } catch (IOException e) {
      return "version history: cannot read " + store.directory() + ": " + e.getMessage() + "\n";
    }
  }
}
