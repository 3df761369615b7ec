package dev.jsync.core.internal;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Changes this node carried out on disk whose commit then failed (the folder sync that makes a
 * rename durable, or the store write): the disk holds the applied version, the index still holds
 * what was there before. The next scan finds the path changed. Taken for an edit of this
 * device's, it would get a new version of this device's, concurrent with the peer's and with
 * everything that followed it elsewhere, so its content could win again after other devices had
 * replaced it. So a scan that finds exactly what a failed commit put on disk, on the index entry
 * that commit was based on, records the version the commit meant to record instead (through a
 * commit of its own, which syncs the folder first).
 *
 * <p>Held in memory only: after a restart, what a failed commit left is a local change again.
 * One entry per path at most; a path's entry goes when a scan looks at it, or when a later commit
 * of the path succeeds.
 *
 * <p>Control thread.
 */
final class UnrecordedChanges {

  /** What a failed commit meant to record, and the index entry it was based on. */
  private record Unrecorded(LocalEntry applied, Optional<LocalEntry> base) {}

  private final Map<RelativePath, Unrecorded> byPath = new HashMap<>();

  /** {@code applied} is on disk, and its commit failed; the index holds {@code base} at its path. */
  void remember(LocalEntry applied, Optional<LocalEntry> base) {
    byPath.put(applied.record().path(), new Unrecorded(applied, base));
  }

  /** A commit of {@code path} succeeded: what an earlier one failed to record is history. */
  void forget(RelativePath path) {
    byPath.remove(path);
  }

  /**
   * The record a failed commit meant to store for what {@code item} found, if the scan found
   * exactly what that commit put on disk and the index still holds what it was based on.
   * Forgets the path either way: anything else found there is a change of this device's.
   */
  Optional<FileRecord> take(ScanItem item) {
    Unrecorded u = byPath.remove(item.path());
    if (u == null || !u.base().equals(item.base())) {
      return Optional.empty();
    }
    FileRecord meant = u.applied().record();
    boolean found = item.observed().isEmpty()
        ? meant.deleted()
        : !meant.deleted() && Scanner.unchanged(u.applied(), item.observed().get())
            && item.content().map(c -> c.contentHash().equals(meant.contentHash())).orElse(true);
    return found ? Optional.of(meant) : Optional.empty();
  }

  boolean isEmpty() {
    return byPath.isEmpty();
  }
}
