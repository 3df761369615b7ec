package dev.jsync.core.store;

import java.util.Objects;

/**
 * What the scanner last saw of a path on disk: enough to tell, without reading the file, that it
 * has not changed since it was hashed. Local bookkeeping only; never sent to peers.
 *
 * @param size length in bytes
 * @param modifiedNanos modification time on disk, nanoseconds since the epoch (as the file
 *     system reports it, which may be coarser than the synced time)
 * @param fileKey the file system's identity of the file (inode and device on Unix), or empty
 *     where the file system has none
 */
public record DiskStat(long size, long modifiedNanos, String fileKey) {

  public DiskStat {
    Objects.requireNonNull(fileKey, "fileKey");
  }
}
