package dev.jsync.core.internal;

import dev.jsync.core.RelativePath;
import dev.jsync.core.store.LocalEntry;
import java.util.Optional;

/**
 * One path the scanner found changed: what the index said when it looked ({@code base}), what is
 * on disk now ({@code observed}, empty if gone) and, for a changed file, its hashed content.
 * The engine turns it into a new local version, provided the index still says {@code base}.
 */
public record ScanItem(RelativePath path, Optional<LocalEntry> base, Optional<Observed> observed,
    Optional<HashedContent> content) {}
