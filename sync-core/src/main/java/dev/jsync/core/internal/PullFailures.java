package dev.jsync.core.internal;

import dev.jsync.core.SyncOptions;
import java.nio.file.DirectoryNotEmptyException;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When a need whose pull or apply failed is tried again, and whether the failure is reported:
 * a back-off growing with the failures; a folder not empty yet (its files still going) is
 * retried a quiet window later and reported only after a few tries; a folder a peer deleted that
 * holds ignored files gets its own pace ({@link #heldByIgnoredFiles}). Control thread.
 */
final class PullFailures {

  /** Tries, a quiet window apart, before a folder kept by ignored files is reported. */
  static final int HELD_QUIET_TRIES = 3;

  private final SyncOptions options;
  private final StatusReporter reporter;
  private final LongSupplier nowNanos;

  PullFailures(SyncOptions options, StatusReporter reporter, LongSupplier nowNanos) {
    this.options = options;
    this.reporter = reporter;
    this.nowNanos = nowNanos;
  }

  /** Counts the failure, sets when {@code need} may go next, and reports it if it is worth a line. */
  void failed(Need need, Throwable e) {
    need.failures++;
    long now = nowNanos.getAsLong();
    need.notBeforeNanos = now + options.retryDelay().toNanos() * Math.min(need.failures, 6);
    String why = e instanceof DirectoryNotEmptyException ? "folder not empty yet" : String.valueOf(e.getMessage());
    if (e instanceof FolderRemoval.HeldByIgnoredFiles held) {
      heldByIgnoredFiles(need, held, now);
    } else if (!(e instanceof DirectoryNotEmptyException) || need.failures > 3) {
      reporter.report(Optional.of(need.path), "sync failed, will retry: " + why, e);
    }
    if (e instanceof DirectoryNotEmptyException && !(e instanceof FolderRemoval.HeldByIgnoredFiles)) {
      need.notBeforeNanos = now + options.quietWindow().toNanos() * need.failures;
    }
  }

  /**
   * A peer deleted a folder that holds files the ignore rules ignore (not junk: those go with
   * it). They may be short-lived (an editor's swap file), so the first few tries follow soon,
   * quietly; then it is reported once, naming them, and tried once per full-scan interval (the
   * user may remove them, or stop ignoring them) without further reports.
   */
  private void heldByIgnoredFiles(Need need, FolderRemoval.HeldByIgnoredFiles held, long now) {
    if (need.failures < HELD_QUIET_TRIES) {
      need.notBeforeNanos = now + options.quietWindow().toNanos() * need.failures;
      return;
    }
    need.notBeforeNanos = now + options.scanInterval().toNanos();
    if (!need.heldReported) {
      need.heldReported = true;
      reporter.report(Optional.of(need.path), "not deleted as a peer did: " + held.getMessage()
          + "; remove them (or stop ignoring them) and the next try, within one scan interval, removes it", null);
    }
  }
}
