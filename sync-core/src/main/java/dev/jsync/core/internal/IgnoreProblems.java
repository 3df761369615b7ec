package dev.jsync.core.internal;

import dev.jsync.core.IgnoreRules;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncEvent;
import java.util.List;
import java.util.Optional;

/**
 * Reports the ignore patterns that can never match, so that a typo in {@code .jsyncignore} does
 * not fail silently: one {@link SyncEvent.Error} of category
 * {@link SyncEvent.Error.Category#IGNORE_PATTERN} per bad line, each time the rules are loaded.
 * Control thread.
 */
final class IgnoreProblems {

  private IgnoreProblems() {
  }

  static void report(StatusReporter reporter, String fileText, List<String> localPatterns) {
    Optional<RelativePath> file = Optional.of(RelativePath.of(IgnoreRules.FILE_NAME));
    for (IgnoreRules.BadPattern bad : IgnoreRules.badPatterns(fileText)) {
      reporter.report(file, SyncEvent.Error.Category.IGNORE_PATTERN, "line " + bad.line() + ": the pattern '"
          + bad.pattern() + "' is malformed and ignores nothing", null);
    }
    for (IgnoreRules.BadPattern bad : IgnoreRules.badPatterns(String.join("\n", localPatterns))) {
      reporter.report(Optional.empty(), SyncEvent.Error.Category.IGNORE_PATTERN, "device-local ignore pattern "
          + bad.line() + ": '" + bad.pattern() + "' is malformed and ignores nothing", null);
    }
  }
}
