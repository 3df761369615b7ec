package dev.jsync.core;

import dev.jsync.core.merge.MergeableFiles;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SyncNode}. Start from {@link #defaults()} and change what you need with
 * the {@code with*} methods. Immutable.
 *
 * @param deviceName a human-readable name sent to peers
 * @param resolver picks the winner of a conflict (see docs/conflicts.md)
 * @param tombstones when deletes may be forgotten
 * @param watch whether to watch the folder for changes (otherwise only periodic scans)
 * @param scanInterval time between full scans, the fallback for missed events (60 s, as the
 *     original)
 * @param quietWindow how long the folder must be quiet before it is scanned, once a burst of
 *     events has lasted longer than this (a lone save waits only 10 ms of silence)
 * @param maxEventDelay the longest an event waits, so a file written continuously still syncs
 * @param maxFilesInFlight how many files are pulled at once
 * @param maxBytesInFlight how many bytes of block requests may be outstanding at once
 * @param indexBatchRecords most records per index batch sent to a peer
 * @param retryDelay how long a path that failed waits before it is tried again
 * @param names how the folder's file system compares names: found out at start by default
 *     ({@link NameMatching#DETECT}), or set (docs/filesystems.md)
 * @param mergeable which files' concurrent edits are merged line by line, given merge bases
 *     ({@link SyncNode.Builder#mergeBases}); their conflict copies keep the file's extension
 *     (docs/conflicts.md). Default {@link MergeableFiles#none()}: an embedder opts in, e.g. with
 *     {@link MergeableFiles#defaults()} ({@code .md} and {@code .txt} up to 1 MiB), as the CLI does
 */
public record SyncOptions(
    String deviceName,
    ConflictResolver resolver,
    TombstonePolicy tombstones,
    boolean watch,
    Duration scanInterval,
    Duration quietWindow,
    Duration maxEventDelay,
    int maxFilesInFlight,
    long maxBytesInFlight,
    int indexBatchRecords,
    Duration retryDelay,
    NameMatching names,
    MergeableFiles mergeable) {

  public SyncOptions {
    Objects.requireNonNull(deviceName, "deviceName");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(tombstones, "tombstones");
    requirePositive(scanInterval, "scanInterval");
    requirePositive(quietWindow, "quietWindow");
    requirePositive(maxEventDelay, "maxEventDelay");
    requirePositive(retryDelay, "retryDelay");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(mergeable, "mergeable");
    if (maxFilesInFlight < 1 || maxBytesInFlight < BlockInfo.SIZE || indexBatchRecords < 1) {
      throw new IllegalArgumentException("limits must allow at least one file, one block and one record");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The defaults: newest wins, 60 s scans, a 100 ms quiet window capped at 1 s, no merging. */
  public static SyncOptions defaults() {
    return new SyncOptions("jsync", NewestWinsResolver.defaults(), TombstonePolicy.defaults(), true,
        Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(1), 64, 8L << 20, 1000,
        Duration.ofSeconds(10), NameMatching.DETECT, MergeableFiles.none());
  }

  public SyncOptions withDeviceName(String v) {
    return new SyncOptions(v, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withResolver(ConflictResolver v) {
    return new SyncOptions(deviceName, v, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withTombstones(TombstonePolicy v) {
    return new SyncOptions(deviceName, resolver, v, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withWatch(boolean v) {
    return new SyncOptions(deviceName, resolver, tombstones, v, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withScanInterval(Duration v) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, v, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withQuietWindow(Duration quiet, Duration maxDelay) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quiet, maxDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withLimits(int files, long bytes) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        files, bytes, indexBatchRecords, retryDelay, names, mergeable);
  }

  public SyncOptions withIndexBatchRecords(int v) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, v, retryDelay, names, mergeable);
  }

  public SyncOptions withRetryDelay(Duration v) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, v, names, mergeable);
  }

  /** How the folder's file system compares names ({@link NameMatching#DETECT}: probe it at start). */
  public SyncOptions withNames(NameMatching v) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, v, mergeable);
  }

  public SyncOptions withMergeable(MergeableFiles v) {
    return new SyncOptions(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, names, v);
  }
}
