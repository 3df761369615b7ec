/**
 * The disk seam: {@link dev.jsync.core.disk.Disk} is everything the sync engine does to a
 * synced folder's files, and {@link dev.jsync.core.disk.Disks#system()} does it through
 * {@code java.nio.file}. Tests and simulators pass their own {@code Disk} to
 * {@link dev.jsync.core.SyncNode.Builder#disk}.
 */
package dev.jsync.core.disk;
