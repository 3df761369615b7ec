package dev.jsync.cli.internal;

import dev.jsync.core.merge.MergeableFiles;
import picocli.CommandLine.Option;

/**
 * The run's merge option, a picocli mixin of {@link JsyncCommand}: {@code --merge=EXT,EXT|none},
 * which files' concurrent edits are merged line by line. See docs/conflicts.md.
 */
final class MergeFlags {

  @Option(names = "--merge", paramLabel = "EXT,EXT|none",
      description = "Merge concurrent edits of these files line by line when they do not overlap (default: md,txt;"
          + " text up to 1 MiB); none merges nothing. Their conflict copies keep the extension, e.g."
          + " x.conflict-20261207-013022-abcdefg.md.")
  String merge;

  /** @throws BadInvocation if the value is malformed */
  MergeableFiles mergeable() {
    if (merge == null) {
      return MergeableFiles.defaults();
    }
    try {
      return MergeableFiles.parse(merge);
    } catch (IllegalArgumentException e) {
      throw BadInvocation.usage("--merge '" + merge + "': " + e.getMessage());
    }
  }
}
