package dev.jsync.core.internal;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Changes this node carried out on disk whose commit then failed (the folder sync that makes a
 * rename durable, or the store write): the disk holds the applied version, the index still holds
 * what was there before. The next scan finds the path changed. Taken for an edit of this
 * device's, it would get a new version of this device's, concurrent with the peer's and with
 * everything that followed it elsewhere, so its content could win again after other devices had
 * replaced it. So a scan of such a path, on the index entry that commit was based on, takes the
 * version the commit meant to record for what the index holds: it records that version again if
 * it finds it (through a commit of its own, which syncs the folder first), and otherwise records
 * what it finds as a change on top of it, which is what it is (whoever changed the path saw that
 * version there).
 *
 * <p>Held in memory only: after a restart, what a failed commit left is a local change again.
 * One entry per path at most; a path's entry goes when a scan looks at it, or when a later commit
 * of the path succeeds.
 *
 * <p>Control thread.
 */
final class UnrecordedChanges {

  /** What a failed commit meant to record, and the index entry it was based on. */
  private record Unrecorded(FileRecord meant, Optional<LocalEntry> base) {}

  private final Map<RelativePath, Unrecorded> byPath = new HashMap<>();

  /** {@code applied} is on disk, and its commit failed; the index holds {@code base} at its path. */
  void remember(LocalEntry applied, Optional<LocalEntry> base) {
    byPath.put(applied.record().path(), new Unrecorded(applied.record(), base));
  }

  /** A commit of {@code path} succeeded: what an earlier one failed to record is history. */
  void forget(RelativePath path) {
    byPath.remove(path);
  }

  /**
   * The record a failed commit meant to store at {@code item}'s path, if the index still holds
   * what that commit was based on; forgets the path either way. What the disk holds there now
   * was made on top of that record: it is that record ({@link #holds}), or a change of this
   * device's that follows it.
   */
  Optional<FileRecord> take(ScanItem item) {
    Unrecorded u = byPath.remove(item.path());
    return u != null && u.base().equals(item.base()) ? Optional.of(u.meant()) : Optional.empty();
  }

  /**
   * Whether {@code item} found {@code meant} itself: the same content and executable bit (a
   * time alone is no change), the same kind, or nothing where {@code meant} is a delete.
   */
  static boolean holds(ScanItem item, FileRecord meant) {
    if (item.observed().isEmpty() || meant.deleted()) {
      return item.observed().isEmpty() && meant.deleted();
    }
    Observed o = item.observed().get();
    if (o.kind() != meant.kind()) {
      return false;
    }
    return switch (o.kind()) {
      case DIRECTORY -> true;
      case SYMLINK -> o.symlinkTarget().equals(meant.symlinkTarget());
      case FILE -> item.content().map(c -> c.contentHash().equals(meant.contentHash())).orElse(false)
          && o.executableOr(meant.executable()) == meant.executable();
    };
  }

  /**
   * The live versions failed commits meant at paths where the index holds nothing live and the
   * disk holds nothing now, forgotten here. Disk and index agree there, so no scan reports the
   * path; yet whoever removed what the commit put there removed that version, and the removal
   * must follow it.
   */
  List<FileRecord> takeRemoved(Function<RelativePath, Optional<LocalEntry>> index, DiskView disk) {
    List<FileRecord> removed = new ArrayList<>();
    for (RelativePath path : List.copyOf(byPath.keySet())) {
      Optional<LocalEntry> current = index.apply(path);
      if (current.isPresent() && !current.get().record().deleted()) {
        continue; // a scan compares a live entry with the disk itself
      }
      try {
        if (disk.observe(path).isPresent()) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      take(new ScanItem(path, current, Optional.empty(), Optional.empty()))
          .filter(meant -> !meant.deleted()).ifPresent(removed::add);
    }
    return removed;
  }

  boolean isEmpty() {
    return byPath.isEmpty();
  }
}
