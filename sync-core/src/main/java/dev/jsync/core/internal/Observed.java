package dev.jsync.core.internal;

import dev.jsync.core.FileKind;
import dev.jsync.core.store.DiskStat;

/**
 * What one look at a path on disk found, without reading a file's content.
 *
 * @param kind file, folder or symlink
 * @param stat size, modification time and file key, for change detection
 * @param executable the owner-executable bit (false where the file system has none)
 * @param symlinkTarget the link's target, empty for anything else
 */
public record Observed(FileKind kind, DiskStat stat, boolean executable, String symlinkTarget) {}
